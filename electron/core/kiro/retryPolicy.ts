import type { UpstreamError } from './upstreamError.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out inside one request: the client gets the 429 instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 10_000,
};

/**
 * How long to wait before attempt `attempt + 1`, or null to give up. Pure: the caller supplies the random
 * number, so tests pin it. Retry-After wins over backoff; backoff is capped exponential with up to 25 % jitter
 * so that many requests failing together do not come back together.
 */
export function retryDelayMs(
  attempt: number,
  error: Pick<UpstreamError, 'retryable' | 'retryAfterMs'>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: number = Math.random(),
): number | null {
  if (!error.retryable || attempt >= policy.maxAttempts) return null;
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : null;
  }
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(backoff * (1 + 0.25 * random));
}
