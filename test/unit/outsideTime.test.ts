import { describe, expect, it } from 'vitest';
import { classifyUpstreamError } from '../../electron/core/kiro/classifyUpstreamError.ts';
import { normalizeUsageLimits } from '../../electron/core/accounts/usageLimits.ts';
import {
  boundedResetAt,
  boundedTokenExpiry,
  MAX_RETRY_AFTER_MS,
  MAX_TOKEN_LIFETIME_MS,
  tokenExpiryAfter,
} from '../../electron/core/time/outsideTime.ts';

const NOW = Date.UTC(2027, 0, 3, 12);
const DAY_MS = 24 * 60 * 60_000;

const throttled = (retryAfter: string) =>
  classifyUpstreamError(429, '{"message":"Too many requests"}', { 'retry-after': retryAfter }, NOW);

describe('times from outside', () => {
  it('Retry-After: seconds and dates are read, weeks are capped at a day, nonsense is ignored', () => {
    expect(throttled('2').retryAfterMs).toBe(2_000);
    expect(throttled(new Date(NOW + 30_000).toUTCString()).retryAfterMs).toBe(30_000);
    expect(throttled(String(21 * 24 * 3600)).retryAfterMs).toBe(MAX_RETRY_AFTER_MS);
    expect(throttled(new Date(NOW + 21 * DAY_MS).toUTCString()).retryAfterMs).toBe(MAX_RETRY_AFTER_MS);
    expect(throttled('soon').retryAfterMs).toBeUndefined();
    expect(throttled('-5').retryAfterMs).toBeUndefined();
    expect(throttled(new Date(NOW - 60_000).toUTCString()).retryAfterMs).toBe(0);
  });

  it('a refresh answer’s lifetime: 30 days is kept, nonsense is an hour, centuries are capped', () => {
    expect(tokenExpiryAfter(30 * 24 * 3600, NOW)).toBe(NOW + 30 * DAY_MS);
    expect(tokenExpiryAfter(undefined, NOW)).toBe(NOW + 3_600_000);
    expect(tokenExpiryAfter('3600', NOW)).toBe(NOW + 3_600_000);
    expect(tokenExpiryAfter(-1, NOW)).toBe(NOW + 3_600_000);
    expect(tokenExpiryAfter(1e12, NOW)).toBe(NOW + MAX_TOKEN_LIFETIME_MS);
  });

  it('an expiry date read from a file: the past stays past, the far future is capped', () => {
    expect(boundedTokenExpiry(NOW - 1, NOW)).toBe(NOW - 1);
    expect(boundedTokenExpiry(Date.UTC(3000, 0, 1), NOW)).toBe(NOW + MAX_TOKEN_LIFETIME_MS);
    expect(boundedTokenExpiry(Number.NaN, NOW)).toBeUndefined();
  });

  it('a quota reset must lie ahead and within a quota period', () => {
    expect(boundedResetAt(Date.UTC(2027, 1, 1), NOW)).toBe(Date.UTC(2027, 1, 1));
    expect(boundedResetAt(NOW, NOW)).toBeUndefined();
    expect(boundedResetAt(Date.UTC(2026, 11, 1), NOW)).toBeUndefined();
    expect(boundedResetAt(Date.UTC(2030, 0, 1), NOW)).toBeUndefined();
  });

  it('getUsageLimits with a reset in the past gives no reset date rather than one that un-parks at once', () => {
    const answer = {
      nextDateReset: Date.UTC(2026, 11, 1) / 1000,
      usageBreakdownList: [{ resourceType: 'CREDIT', currentUsage: 50, usageLimit: 50 }],
    };
    expect(normalizeUsageLimits(answer, NOW)).toMatchObject({ remaining: 0, resetsAt: undefined });
  });
});
