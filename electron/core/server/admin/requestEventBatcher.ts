/**
 * Finished requests reach the dashboard as one `requests` event per interval, not one event per request: under
 * load (hundreds of requests a second) a per-request push would cost the proxy and the browser more than the
 * requests themselves. The batch is bounded like the log it feeds.
 */
import {
  RECENT_REQUESTS_KEPT,
  REQUEST_EVENT_INTERVAL_MS,
  type AdminEvent,
  type RequestLogEntry,
} from '../../../../shared/adminApi.ts';
import type { Clock, Timer } from '../../ports.ts';
import type { RecentRequests } from './recentRequests.ts';

/** An admin event source: follows the log only while started, sends what finished since the last batch. */
export function requestEventBatcher(recentRequests: RecentRequests, clock: Clock) {
  return (emit: (event: AdminEvent) => void): (() => void) => {
    let pending: RequestLogEntry[] = [];
    let timer: Timer | undefined;
    const flush = () => {
      timer = undefined;
      // Newest first, as the log lists them.
      const requests = pending.reverse().slice(0, RECENT_REQUESTS_KEPT);
      pending = [];
      if (requests.length > 0) emit({ type: 'requests', requests });
    };
    const stop = recentRequests.onEntry((entry) => {
      pending.push(entry);
      if (pending.length > RECENT_REQUESTS_KEPT) pending.shift();
      timer ??= clock.setTimer(flush, REQUEST_EVENT_INTERVAL_MS);
    });
    return () => {
      stop();
      timer?.cancel();
    };
  };
}
