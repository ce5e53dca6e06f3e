/**
 * The live admin events (`GET /admin/events`, text/event-stream). EventSource cannot send an Authorization
 * header, so the stream is read with fetch and parsed with eventsource-parser; a dropped stream reconnects with
 * a growing delay (1 s → 15 s), a 401 ends it for good (the session is over).
 */
import { createParser } from 'eventsource-parser';
import type { AdminEvent } from '../../../shared/adminApi.ts';

export type EventStreamStatus = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

export interface AdminEventsOptions {
  token(): string | undefined;
  onEvent(event: AdminEvent): void;
  onStatus(status: EventStreamStatus): void;
  fetch?: typeof fetch;
  baseUrl?: string;
  /** Test seam: how long to wait before reconnect attempt `n` (from 0). */
  retryDelayMs?(attempt: number): number;
}

const EVENT_TYPES = new Set<string>([
  'account',
  'account_removed',
  'strategy',
  'stats',
  'requests',
  'settings',
]);

/** Starts following the events; returns the function that stops. */
export function followAdminEvents(options: AdminEventsOptions): () => void {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const retryDelay = options.retryDelayMs ?? ((attempt) => Math.min(15_000, 1_000 * 2 ** attempt));
  const controller = new AbortController();
  let attempt = 0;

  async function readOnce(): Promise<'ended' | 'unauthorized'> {
    const token = options.token();
    const response = await doFetch(`${options.baseUrl ?? ''}/admin/events`, {
      headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: controller.signal,
      cache: 'no-store',
    });
    if (response.status === 401) return 'unauthorized';
    if (!response.ok || !response.body) return 'ended';
    options.onStatus('live');
    attempt = 0;
    const parser = createParser({
      onEvent(message) {
        if (!message.event || !EVENT_TYPES.has(message.event)) return;
        try {
          options.onEvent(JSON.parse(message.data) as AdminEvent);
        } catch {
          // A malformed event is skipped; the next full refresh repairs whatever it carried.
        }
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'ended';
      parser.feed(value);
    }
  }

  async function run(): Promise<void> {
    options.onStatus('connecting');
    while (!controller.signal.aborted) {
      const outcome = await readOnce().catch(() => 'ended' as const);
      if (controller.signal.aborted) return;
      if (outcome === 'unauthorized') {
        options.onStatus('unauthorized');
        return;
      }
      options.onStatus('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, retryDelay(attempt++)));
    }
  }

  void run();
  return () => controller.abort();
}
