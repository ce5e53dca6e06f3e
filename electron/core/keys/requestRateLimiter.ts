/**
 * Requests per minute per key: a sliding window of the last minute's request times (monotonic), so a burst at
 * the end of one minute and the start of the next cannot double the rate.
 */
import type { Clock } from '../ports.ts';

export const RATE_WINDOW_MS = 60_000;

export type RateTake = { allowed: true } | { allowed: false; retryAfterMs: number };

/** One replica's count, or the cluster's (redis/redisRateLimiter.ts), hence the promise. */
export interface RequestRateLimiter {
  /** Counts the request when it is allowed; otherwise says in how many ms the oldest one leaves the window. */
  take(keyId: string, perMinute: number): Promise<RateTake>;
}

export function createRequestRateLimiter(clock: Clock): RequestRateLimiter {
  const recent = new Map<string, number[]>();
  return { take: (keyId, perMinute) => Promise.resolve(takeNow(keyId, perMinute)) };

  function takeNow(keyId: string, perMinute: number): RateTake {
    const now = clock.monotonicNow();
    const times = (recent.get(keyId) ?? []).filter((time) => time > now - RATE_WINDOW_MS);
    if (times.length >= perMinute) {
      recent.set(keyId, times);
      return { allowed: false, retryAfterMs: Math.max(1, times[0]! + RATE_WINDOW_MS - now) };
    }
    times.push(now);
    recent.set(keyId, times);
    return { allowed: true };
  }
}
