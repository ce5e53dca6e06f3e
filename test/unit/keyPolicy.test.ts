import { describe, expect, it } from 'vitest';
import { periodWindow } from '../../electron/core/keys/budgetPeriod.ts';
import { checkKeyPolicy, modelAllowed } from '../../electron/core/keys/keyPolicy.ts';
import { KeyRefusal } from '../../electron/core/keys/keyRefusal.ts';
import { createKeySpending } from '../../electron/core/keys/keySpending.ts';
import { createRequestRateLimiter } from '../../electron/core/keys/requestRateLimiter.ts';
import { createFakeClock } from '../support/fakeClock.ts';

const at = (iso: string) => Date.parse(iso);

describe('budget periods', () => {
  it('are UTC days and months, the reset being the next one’s start', () => {
    expect(periodWindow('day', at('2026-03-31T23:59:59.999Z'))).toEqual({
      start: at('2026-03-31T00:00:00Z'),
      resetsAt: at('2026-04-01T00:00:00Z'),
    });
    expect(periodWindow('month', at('2026-12-15T08:00:00Z'))).toEqual({
      start: at('2026-12-01T00:00:00Z'),
      resetsAt: at('2027-01-01T00:00:00Z'),
    });
  });
});

describe('key spending', () => {
  it('starts each period from what the source says was spent, then adds, and forgets past periods', async () => {
    const asked: Array<[string, number]> = [];
    const spending = createKeySpending((keyId, since) => {
      asked.push([keyId, since]);
      return since === at('2026-05-01T00:00:00Z') ? 7 : 0;
    });
    expect(await spending.spent('k', 'month', at('2026-05-20T10:00:00Z'))).toBe(7);
    spending.add('k', 1.5, at('2026-05-20T11:00:00Z'));
    expect(await spending.spent('k', 'month', at('2026-05-20T12:00:00Z'))).toBe(8.5);
    expect(await spending.spent('k', 'day', at('2026-05-20T12:00:00Z'))).toBe(1.5);
    expect(await spending.spent('k', 'month', at('2026-06-01T00:00:00Z'))).toBe(0);
    expect(asked).toContainEqual(['k', at('2026-06-01T00:00:00Z')]);
  });
});

describe('key policy', () => {
  const clock = createFakeClock(at('2026-05-20T10:00:00Z'));
  const deps = () => ({ spending: createKeySpending(), rateLimiter: createRequestRateLimiter(clock), clock });

  it('allows exact model ids and * prefixes, and every model without a list', () => {
    expect(modelAllowed(undefined, 'anything')).toBe(true);
    expect(modelAllowed(['claude-haiku-*'], 'claude-haiku-4-5')).toBe(true);
    expect(modelAllowed(['claude-haiku-*', 'claude-opus-4-5'], 'claude-opus-4-5-20251101')).toBe(false);
  });

  it('refuses a key at its budget with the reset in seconds, and not below it', async () => {
    const policy = deps();
    const key = { id: 'k', label: 'alice', creditLimit: 2, period: 'day' as const };
    policy.spending.add('k', 1.99, clock.now());
    await checkKeyPolicy(policy, key, 'm');
    policy.spending.add('k', 0.01, clock.now());
    const refusal = await refusalOf(checkKeyPolicy(policy, key, 'm'));
    expect(refusal).toMatchObject({ status: 429, code: 'key_budget_exceeded', retryAfterSeconds: 14 * 3600 });
    expect(refusal.message).toContain('resets at 2026-05-21T00:00:00.000Z');
  });

  it('limits requests in a sliding minute', async () => {
    const policy = deps();
    const key = { id: 'r', label: 'bot', requestsPerMinute: 2 };
    await checkKeyPolicy(policy, key, 'm');
    clock.advance(30_000);
    await checkKeyPolicy(policy, key, 'm');
    expect(await refusalOf(checkKeyPolicy(policy, key, 'm'))).toMatchObject({
      code: 'key_rate_limited',
      retryAfterSeconds: 30,
    });
    clock.advance(30_001);
    await checkKeyPolicy(policy, key, 'm');
  });
});

async function refusalOf(check: Promise<void>): Promise<KeyRefusal> {
  const error: unknown = await check.then(
    () => new Error('no refusal'),
    (caught: unknown) => caught,
  );
  if (error instanceof KeyRefusal) return error;
  throw error;
}
