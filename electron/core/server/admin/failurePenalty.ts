import type { Clock } from '../../ports.ts';

export interface FailurePenalty {
  /** Counts a wrong attempt made now; returns how long its answer is held back. */
  recordFailure(): number;
}

export interface FailurePenaltyOptions {
  clock: Clock;
  /** Wrong attempts within the window answered at once (typos, a stale link). */
  freeFailures: number;
  /** The hold-back of the first attempt beyond the free ones; each further one doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  windowMs: number;
}

/**
 * Exponentially growing hold-backs for wrong attempts. Every client on loopback looks alike, so the count is
 * shared, but only wrong attempts pay: a right attempt is never counted nor delayed, so nobody can lock the
 * user out by guessing, which a shared "blocked for a minute" did.
 */
export function createFailurePenalty(options: FailurePenaltyOptions): FailurePenalty {
  const { clock, freeFailures, baseDelayMs, maxDelayMs, windowMs } = options;
  // Beyond this many recent failures the delay is at its ceiling, so older ones need not be kept.
  const kept = freeFailures + Math.ceil(Math.log2(Math.max(1, maxDelayMs / baseDelayMs))) + 1;
  const failures: number[] = [];
  return {
    recordFailure() {
      const now = clock.monotonicNow();
      while (failures.length > 0 && failures[0]! <= now - windowMs) failures.shift();
      failures.push(now);
      if (failures.length > kept) failures.shift();
      const beyondFree = failures.length - freeFailures;
      if (beyondFree <= 0) return 0;
      return Math.min(maxDelayMs, baseDelayMs * 2 ** (beyondFree - 1));
    },
  };
}
