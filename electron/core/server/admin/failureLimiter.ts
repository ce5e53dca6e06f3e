import type { Clock } from '../../ports.ts';

export interface FailureLimiter {
  /** 0 while attempts are allowed; else how long until the oldest counted failure leaves the window. */
  blockedForMs(): number;
  recordFailure(): void;
}

/**
 * At most `maxFailures` failed attempts per sliding `windowMs`, for everyone at once: the admin API answers only
 * on loopback, where the caller's address says nothing about who is guessing.
 */
export function createFailureLimiter(options: {
  clock: Clock;
  maxFailures: number;
  windowMs: number;
}): FailureLimiter {
  const failures: number[] = [];

  function forgetOld(): void {
    const since = options.clock.now() - options.windowMs;
    while (failures.length > 0 && failures[0]! <= since) failures.shift();
  }

  return {
    blockedForMs() {
      forgetOld();
      if (failures.length < options.maxFailures) return 0;
      return failures[0]! + options.windowMs - options.clock.now();
    },
    recordFailure() {
      forgetOld();
      failures.push(options.clock.now());
      // Only the newest maxFailures matter for the answer; older ones need not be kept.
      if (failures.length > options.maxFailures) failures.shift();
    },
  };
}
