/**
 * `GET /admin/events`: the admin events as Server-Sent Events (`event: <type>` + `data: <json>`), with a comment
 * line every PING_INTERVAL_MS so proxies and idle timeouts keep the connection open. Everything it holds is let
 * go when the client disconnects.
 */
import type { Request, Response } from 'express';
import type { AdminEvent } from '../../../../shared/adminApi.ts';
import type { Clock, Timer } from '../../ports.ts';
import type { AdminEventHub } from './adminEventHub.ts';

export const PING_INTERVAL_MS = 15_000;

export function adminEventStreamRoute(hub: AdminEventHub, clock: Clock) {
  return (_req: Request, res: Response): void => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    // A first line now, so the client knows the stream is open before any event.
    res.write(': connected\n\n');
    const unsubscribe = hub.subscribe((event) => res.write(formatEvent(event)));
    let ping: Timer | undefined;
    const schedulePing = () => {
      ping = clock.setTimer(() => {
        res.write(': ping\n\n');
        schedulePing();
      }, PING_INTERVAL_MS);
    };
    schedulePing();
    res.once('close', () => {
      ping?.cancel();
      unsubscribe();
    });
  };
}

export function formatEvent(event: AdminEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
