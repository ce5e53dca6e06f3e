import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../../electron/core/kiro/retryPolicy.ts';
import { UpstreamError } from '../../electron/core/kiro/upstreamError.ts';

const serverError = new UpstreamError('server_error', 'boom', { status: 500 });

describe('retryDelayMs', () => {
  it('backs off exponentially, capped, with bounded jitter', () => {
    expect(retryDelayMs(1, serverError, DEFAULT_RETRY_POLICY, 0)).toBe(250);
    expect(retryDelayMs(2, serverError, DEFAULT_RETRY_POLICY, 0)).toBe(500);
    expect(retryDelayMs(2, serverError, DEFAULT_RETRY_POLICY, 1)).toBe(625);
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 10 };
    expect(retryDelayMs(8, serverError, policy, 0)).toBe(2000);
  });

  it('stops when the attempt budget is spent', () => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY.maxAttempts, serverError)).toBeNull();
  });

  it('never retries what cannot succeed on retry', () => {
    for (const kind of [
      'invalid_request',
      'context_too_long',
      'quota_exhausted',
      'suspended',
      'stream_corrupt',
    ] as const) {
      expect(retryDelayMs(1, new UpstreamError(kind, 'x'))).toBeNull();
    }
  });

  it('honours Retry-After, but not one longer than the cap', () => {
    expect(retryDelayMs(1, new UpstreamError('rate_limited', 'x', { retryAfterMs: 2000 }))).toBe(2000);
    expect(retryDelayMs(1, new UpstreamError('rate_limited', 'x', { retryAfterMs: 60_000 }))).toBeNull();
  });
});
