/** How long to wait before starting the daemon again after it died: doubling from `initialMs` up to `maxMs`. */

export interface RestartBackoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoff = { initialMs: 500, maxMs: 30_000 };

/** `attempt` counts restarts since the daemon last answered a ping (1 for the first). */
export function restartDelayMs(attempt: number, backoff: RestartBackoff = DEFAULT_RESTART_BACKOFF): number {
  const doublings = Math.min(Math.max(0, attempt - 1), 30);
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** doublings);
}
