/**
 * Spares a throttled account across every request, not just the one that got the 429: after Kiro throttles
 * an account, nothing calls it again before its Retry-After has passed, later calls are spaced by that pause
 * until one succeeds, and the pause doubles with each throttle in a row (Kiro locks accounts that are hammered
 * after 429s: docs/kiro-failures.md). A request that would have to wait longer than a few seconds is told to
 * come back instead, with the wait as its Retry-After, so that the client's own retries do the waiting.
 */
import { UpstreamError } from '../kiro/upstreamError.ts';
import type { Clock } from '../ports.ts';

export interface ThrottlePacer {
  /** Kiro throttled the account; returns the pause now in force (ms). */
  throttled(accountId: string, retryAfterMs: number | undefined): number;
  /** A call to the account succeeded: its pace is back to normal. */
  succeeded(accountId: string): void;
  /**
   * Resolves when the account may be called. Throws a `rate_limited` UpstreamError carrying the remaining
   * wait when that wait is longer than the pacer waits inside one request.
   */
  admit(accountId: string, signal: AbortSignal): Promise<void>;
}

export interface ThrottlePacerOptions {
  clock: Clock;
  /** Longest wait inside one request (default 10 s). */
  maxWaitMs?: number;
}

/** The `reason` of the error a request gets when the pacer holds it back: no call reached Kiro. */
export const PACED_REASON = 'PACED';
const FIRST_PAUSE_MS = 1_000;
const MAX_PAUSE_MS = 60_000;
const DEFAULT_MAX_WAIT_MS = 10_000;

interface Pace {
  /** monotonicNow() before which no call goes out. */
  nextCallAt: number;
  pauseMs: number;
  throttlesInRow: number;
}

export function createThrottlePacer(options: ThrottlePacerOptions): ThrottlePacer {
  const { clock } = options;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const paces = new Map<string, Pace>();

  return {
    throttled(accountId, retryAfterMs) {
      const throttlesInRow = (paces.get(accountId)?.throttlesInRow ?? 0) + 1;
      const backoffMs = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (throttlesInRow - 1));
      const pauseMs = Math.max(retryAfterMs ?? 0, backoffMs);
      paces.set(accountId, { nextCallAt: clock.monotonicNow() + pauseMs, pauseMs, throttlesInRow });
      return pauseMs;
    },
    succeeded(accountId) {
      paces.delete(accountId);
    },
    async admit(accountId, signal) {
      const pace = paces.get(accountId);
      if (pace === undefined) return;
      const waitMs = pace.nextCallAt - clock.monotonicNow();
      if (waitMs > maxWaitMs) {
        throw new UpstreamError(
          'rate_limited',
          `Kiro throttled this account; Kiro Dock holds its calls back for ${Math.ceil(waitMs / 1000)} s more`,
          { retryAfterMs: waitMs, reason: PACED_REASON },
        );
      }
      // The next caller waits one more pause: requests queued behind a throttle go out one by one.
      pace.nextCallAt = Math.max(pace.nextCallAt, clock.monotonicNow()) + pace.pauseMs;
      if (waitMs > 0) await clock.sleep(waitMs, signal);
    },
  };
}
