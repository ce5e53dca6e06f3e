/**
 * Where every finished request is accounted for, whichever way it came in (an HTTP route or a prompt from the
 * stdio daemon): one log line, the metrics and time series, and the dashboard's requests log.
 */
import type express from 'express';
import type { RequestLogEntry } from '../../../shared/adminApi.ts';
import type { Clock, Logger } from '../ports.ts';
import type { RequestStats } from '../stats/requestStats.ts';
import type { RecentRequests } from './admin/recentRequests.ts';
import { toRequestLogEntry } from './admin/requestLogEntry.ts';
import { logRequest } from './requestLog.ts';
import type { RequestRecord } from './routes/routeContext.ts';

/** What a request was, apart from how it ended. */
export interface RequestOrigin {
  id: string;
  /** A bounded label (metrics use it): the matched HTTP route, or the non-HTTP source's name. */
  route: string;
  method: string;
  path: string;
  /** Absent for HTTP requests. */
  source?: RequestLogEntry['source'];
  /** The parsed request: where `stream` and (when captured) the prompt come from. */
  body: unknown;
}

export interface RequestRecorderDeps {
  logger: Logger;
  stats: RequestStats;
  recentRequests: RecentRequests;
  clock: Clock;
  accountLabel(accountId: string): string | undefined;
  capturePrompts(): boolean;
}

export type RecordRequest = (origin: RequestOrigin, record: RequestRecord) => void;

export function createRequestRecorder(deps: RequestRecorderDeps): RecordRequest {
  return (origin, record) => {
    const monotonicNow = deps.clock.monotonicNow();
    logRequest(deps.logger, origin, record, monotonicNow);
    deps.stats.recordRequest(origin.route, record);
    deps.recentRequests.add(
      toRequestLogEntry({
        id: origin.id,
        route: origin.route,
        source: origin.source,
        body: origin.body,
        record,
        now: deps.clock.now(),
        monotonicNow,
        accountLabel: record.accountId && deps.accountLabel(record.accountId),
        labelOf: deps.accountLabel,
        capturePrompts: deps.capturePrompts(),
      }),
    );
  };
}

/** An HTTP request as the recorder sees it; the route is the matched path, whatever the client put in the URL. */
export function httpOrigin(req: express.Request): RequestOrigin {
  const route: unknown = req.route;
  const path = (route as { path?: unknown } | undefined)?.path;
  return {
    id: req.res?.locals['requestId'] as string,
    route: typeof path === 'string' ? path : 'other',
    method: req.method,
    path: req.path,
    body: req.body,
  };
}
