import { describe, expect, it } from 'vitest';
import {
  decideFailover,
  PROVISIONAL_EXHAUSTION_MS,
  REJECTED_TOKEN_COOLDOWN_MS,
  type FailoverContext,
} from '../../electron/core/accounts/failoverPolicy.ts';
import {
  UpstreamError,
  type UpstreamErrorKind,
  type UpstreamErrorOptions,
} from '../../electron/core/kiro/upstreamError.ts';

const NOW = Date.UTC(2026, 5, 1);

const context = (overrides: Partial<FailoverContext> = {}): FailoverContext => ({
  attempt: 1,
  maxAttempts: 3,
  alreadyRefreshed: false,
  otherAccountsAvailable: true,
  consecutiveThrottles: 0,
  now: NOW,
  random: 0,
  ...overrides,
});

const error = (kind: UpstreamErrorKind, message = `${kind} happened`, options: UpstreamErrorOptions = {}) =>
  new UpstreamError(kind, message, options);

const ALL_KINDS: UpstreamErrorKind[] = [
  'invalid_request',
  'context_too_long',
  'invalid_token',
  'suspended',
  'quota_exhausted',
  'rate_limited',
  'server_error',
  'refresh_rejected',
  'network',
  'timeout',
  'stream_corrupt',
  'stream_truncated',
  'stream_exception',
];

const TRANSIENT_KINDS: UpstreamErrorKind[] = [
  'server_error',
  'network',
  'timeout',
  'stream_truncated',
  'stream_corrupt',
  'stream_exception',
];

describe('decideFailover: rejected token', () => {
  it('refreshes and retries on the same account first', () => {
    expect(decideFailover(error('invalid_token'), context())).toEqual({ action: 'refresh_and_retry_same' });
  });

  it('parks an API key Kiro refuses until the user replaces it: nothing can refresh a key', () => {
    const decision = decideFailover(error('invalid_token'), context({ apiKey: true }));
    expect(decision).toEqual({
      action: 'retry',
      accountState: {
        kind: 'needs_relogin',
        reason: expect.stringContaining('Kiro refuses this API key'),
        howToFix: 'Add the account again with a valid ksk_ API key.',
      },
      sameAccountAllowed: false,
      delayMs: 0,
      checkQuota: false,
    });
  });

  it('parks the account for a minute and moves on when a fresh token is rejected too', () => {
    const decision = decideFailover(error('invalid_token'), context({ alreadyRefreshed: true }));
    expect(decision).toEqual({
      action: 'retry',
      accountState: {
        kind: 'cooling_down',
        until: NOW + REJECTED_TOKEN_COOLDOWN_MS,
        reason: expect.stringContaining('token'),
      },
      sameAccountAllowed: false,
      delayMs: 0,
      checkQuota: false,
    });
    expect(REJECTED_TOKEN_COOLDOWN_MS).toBe(60_000);
  });
});

describe('decideFailover: account problems', () => {
  it('marks a suspended account with the upstream message and moves on', () => {
    const message = 'Your User ID (u-1) temporarily is suspended.';
    expect(decideFailover(error('suspended', message, { status: 403 }), context())).toEqual({
      action: 'retry',
      accountState: { kind: 'suspended', since: NOW, reason: message },
      sameAccountAllowed: false,
      delayMs: 0,
      checkQuota: false,
    });
  });

  it('parks an exhausted account for an hour, asks for a quota check and moves on', () => {
    const exhausted = error('quota_exhausted', 'You have reached the limit.', {
      status: 402,
      reason: 'MONTHLY_REQUEST_COUNT',
    });
    expect(decideFailover(exhausted, context())).toEqual({
      action: 'retry',
      accountState: {
        kind: 'exhausted',
        until: NOW + PROVISIONAL_EXHAUSTION_MS,
        reason: expect.stringContaining('MONTHLY_REQUEST_COUNT'),
      },
      sameAccountAllowed: false,
      delayMs: 0,
      checkQuota: true,
    });
    expect(PROVISIONAL_EXHAUSTION_MS).toBe(3_600_000);
  });

  it('records the state even when no other account is left, so the next acquire can explain it', () => {
    for (const kind of ['suspended', 'quota_exhausted'] as const) {
      const decision = decideFailover(error(kind), context({ otherAccountsAvailable: false }));
      expect(decision).toMatchObject({
        action: 'retry',
        sameAccountAllowed: false,
        accountState: { kind: kind === 'suspended' ? 'suspended' : 'exhausted' },
      });
    }
  });
});

describe('decideFailover: throttling', () => {
  it('cools the account down for the Retry-After and moves on at once', () => {
    const throttled = error('rate_limited', 'Too many requests', {
      status: 429,
      retryAfterMs: 20_000,
      reason: 'USER_REQUEST_RATE_EXCEEDED',
    });
    expect(decideFailover(throttled, context())).toEqual({
      action: 'retry',
      accountState: {
        kind: 'cooling_down',
        until: NOW + 20_000,
        reason: expect.stringContaining('USER_REQUEST_RATE_EXCEEDED'),
      },
      sameAccountAllowed: false,
      delayMs: 0,
      checkQuota: false,
    });
  });

  it('backs off 1 s·2^n without Retry-After, capped at 60 s, with up to 25 % jitter', () => {
    const until = (consecutiveThrottles: number, random: number) => {
      const decision = decideFailover(error('rate_limited'), context({ consecutiveThrottles, random }));
      return decision.action === 'retry' && decision.accountState?.kind === 'cooling_down'
        ? decision.accountState.until - NOW
        : undefined;
    };
    expect([0, 1, 2, 3].map((n) => until(n, 0))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(until(6, 0)).toBe(60_000);
    expect(until(20, 0)).toBe(60_000);
    expect(until(0, 0.999)).toBe(1_250);
    expect(until(20, 0.999)).toBe(74_985);
  });

  it('waits on the same account, left usable for other requests, when no other is left and the cooldown is short', () => {
    const throttled = error('rate_limited', 'Too many requests', { retryAfterMs: 10_000 });
    expect(decideFailover(throttled, context({ otherAccountsAvailable: false }))).toEqual({
      action: 'retry',
      sameAccountAllowed: true,
      delayMs: 10_000,
      checkQuota: false,
    });
  });

  it('asks a throttled account at most the allowed number of times per request', () => {
    const throttled = error('rate_limited', 'Too many requests', { retryAfterMs: 1_000 });
    const limits = { otherAccountsAvailable: false, maxThrottledAttempts: 2 };
    expect(decideFailover(throttled, context({ ...limits, throttledAttempts: 1 })).action).toBe('retry');
    expect(decideFailover(throttled, context({ ...limits, throttledAttempts: 2 }))).toEqual({
      action: 'fail',
    });
  });

  it('fails when no other account is left and the cooldown is long (the client gets the 429)', () => {
    const throttled = error('rate_limited', 'Too many requests', { retryAfterMs: 10_001 });
    expect(decideFailover(throttled, context({ otherAccountsAvailable: false }))).toEqual({ action: 'fail' });
    const backedOff = decideFailover(
      error('rate_limited'),
      context({ otherAccountsAvailable: false, consecutiveThrottles: 4 }),
    );
    expect(backedOff).toEqual({ action: 'fail' });
  });
});

describe('decideFailover: a quota error checked against getUsageLimits', () => {
  const quotaError = error('quota_exhausted', 'Kiro quota exhausted: You have reached the limit.', {
    status: 402,
  });

  it('asks the same account again at once when credits are left (a lone 402)', () => {
    expect(decideFailover(quotaError, context({ quotaLeft: true }))).toEqual({
      action: 'retry',
      sameAccountAllowed: true,
      delayMs: 0,
      checkQuota: false,
    });
  });

  it('moves on without a provisional state when the check confirms the quota is used up', () => {
    expect(decideFailover(quotaError, context({ quotaLeft: false }))).toEqual({
      action: 'retry',
      sameAccountAllowed: false,
      delayMs: 0,
      checkQuota: false,
    });
  });

  it('parks the account provisionally when the quota could not be read', () => {
    expect(decideFailover(quotaError, context())).toMatchObject({
      accountState: { kind: 'exhausted', until: NOW + PROVISIONAL_EXHAUSTION_MS },
      checkQuota: true,
    });
  });
});

describe('decideFailover: transient failures', () => {
  it.each(TRANSIENT_KINDS)(
    '%s: retries with capped backoff, preferably elsewhere, without a state change',
    (kind) => {
      const delays = [1, 2, 3, 4, 5].map((attempt) => {
        const decision = decideFailover(error(kind), context({ attempt, maxAttempts: 9 }));
        expect(decision).toMatchObject({ action: 'retry', sameAccountAllowed: true, checkQuota: false });
        expect(decision).not.toHaveProperty('accountState');
        return decision.action === 'retry' ? decision.delayMs : undefined;
      });
      expect(delays).toEqual([250, 500, 1_000, 2_000, 2_000]);
      expect(decideFailover(error(kind), context({ random: 0.999 }))).toMatchObject({ delayMs: 312 });
    },
  );

  it('honours a Retry-After of up to 10 s', () => {
    const busy = error('server_error', 'high load', { status: 503, retryAfterMs: 7_000 });
    expect(decideFailover(busy, context())).toMatchObject({
      action: 'retry',
      delayMs: 7_000,
      sameAccountAllowed: true,
    });
  });

  it('moves to another account at once when the Retry-After is longer, and fails without one', () => {
    const busy = error('server_error', 'high load', { status: 503, retryAfterMs: 30_000 });
    expect(decideFailover(busy, context())).toEqual({
      action: 'retry',
      sameAccountAllowed: false,
      delayMs: 0,
      checkQuota: false,
    });
    expect(decideFailover(busy, context({ otherAccountsAvailable: false }))).toEqual({ action: 'fail' });
  });

  it('retries on the same account when it is the only one', () => {
    expect(decideFailover(error('network'), context({ otherAccountsAvailable: false }))).toMatchObject({
      action: 'retry',
      sameAccountAllowed: true,
    });
  });
});

describe('decideFailover: final failures', () => {
  it.each(['invalid_request', 'context_too_long', 'refresh_rejected'] as const)(
    '%s fails at once',
    (kind) => {
      expect(decideFailover(error(kind), context())).toEqual({ action: 'fail' });
    },
  );

  it.each(ALL_KINDS)('%s fails once the attempts are used up', (kind) => {
    expect(decideFailover(error(kind), context({ attempt: 3, maxAttempts: 3 }))).toEqual({ action: 'fail' });
    expect(
      decideFailover(error(kind), context({ attempt: 4, maxAttempts: 3, alreadyRefreshed: true })),
    ).toEqual({ action: 'fail' });
  });
});
