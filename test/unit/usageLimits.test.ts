import { describe, expect, it } from 'vitest';
import type { QuotaSnapshot } from '../../electron/core/accounts/accountModel.ts';
import { forecastExhaustion, normalizeUsageLimits } from '../../electron/core/accounts/usageLimits.ts';

const NOW = Date.UTC(2026, 6, 15, 12, 0, 0);
const HOUR = 60 * 60 * 1000;

/** The full answer of docs/upstream/endpoints.md §3. */
function fullSample(): Record<string, unknown> {
  return {
    nextDateReset: 1785542400.0,
    daysUntilReset: 0,
    limits: [{ type: 'AGENTIC_REQUEST', currentUsage: 0, totalUsageLimit: 0, percentUsed: 0 }],
    usageBreakdown: null,
    usageBreakdownList: [
      {
        resourceType: 'CREDIT',
        displayName: 'Credit',
        displayNamePlural: 'Credits',
        unit: 'INVOCATIONS',
        currentUsage: 5998,
        currentUsageWithPrecision: 5998.37,
        usageLimit: 10000,
        usageLimitWithPrecision: 10000.0,
        currentOverages: 0,
        currentOveragesWithPrecision: 0.0,
        overageCap: 10000,
        overageCapWithPrecision: 10000.0,
        overageRate: 0.04,
        overageCharges: 0.0,
        currency: 'USD',
        nextDateReset: 1785542400.0,
        freeTrialInfo: {
          freeTrialStatus: 'ACTIVE',
          freeTrialExpiry: 1790000000.0,
          currentUsage: 0,
          currentUsageWithPrecision: 0.0,
          usageLimit: 500,
          usageLimitWithPrecision: 500.0,
        },
        bonuses: [{ status: 'ACTIVE', currentUsage: 0.0, usageLimit: 0.0 }],
      },
    ],
    subscriptionInfo: {
      subscriptionTitle: 'KIRO PRO',
      type: 'Q_DEVELOPER_STANDALONE_PRO',
      overageCapability: 'OVERAGE_CAPABLE',
      upgradeCapability: 'UPGRADE_CAPABLE',
      subscriptionManagementTarget: 'MANAGE',
    },
    overageConfiguration: { overageStatus: 'DISABLED' },
    userInfo: { email: 'dev@example.com', userId: 'u-1' },
  };
}

function withEntry(entry: Record<string, unknown>): Record<string, unknown> {
  return { usageBreakdownList: [entry] };
}

describe('normalizeUsageLimits', () => {
  it('normalises the full sample: base + active free trial + active bonus, seconds → ms', () => {
    const quota = normalizeUsageLimits(fullSample(), NOW);
    expect(quota).toEqual({
      limit: 10500,
      used: 5998.37,
      remaining: expect.closeTo(4501.63, 6),
      resetsAt: 1785542400000,
      subscriptionTitle: 'KIRO PRO',
      overageCapable: true,
      overageEnabled: false,
      freeTrial: { limit: 500, used: 0, expiresAt: 1790000000000, active: true },
      bonuses: [{ limit: 0, used: 0, expiresAt: undefined, active: true }],
      email: 'dev@example.com',
      fetchedAt: NOW,
    });
  });

  it('counts only grants that are active now: status and expiry both decide', () => {
    const quota = normalizeUsageLimits(
      withEntry({
        resourceType: 'CREDIT',
        usageLimitWithPrecision: 50,
        currentUsageWithPrecision: 10.5,
        freeTrialInfo: {
          freeTrialStatus: 'ACTIVE',
          freeTrialExpiry: (NOW - HOUR) / 1000,
          usageLimitWithPrecision: 500,
          currentUsageWithPrecision: 499,
        },
        bonuses: [
          {
            status: 'ACTIVE',
            usageLimit: 100,
            currentUsageWithPrecision: 20.25,
            expiresAt: (NOW + HOUR) / 1000,
          },
          { status: 'ACTIVE', usageLimit: 30, currentUsage: 3 },
          { status: 'EXPIRED', usageLimit: 1000, currentUsage: 0 },
          { status: 'ACTIVE', usageLimit: 2000, currentUsage: 0, expiresAt: new Date(NOW - 1).toISOString() },
          { usageLimit: 7, currentUsage: 1 },
        ],
      }),
      NOW,
    );
    expect(quota.freeTrial).toEqual({ limit: 500, used: 499, expiresAt: NOW - HOUR, active: false });
    expect(quota.bonuses.map((bonus) => bonus.active)).toEqual([true, true, false, false, true]);
    expect(quota.bonuses[3]!.expiresAt).toBe(NOW - 1);
    expect(quota.limit).toBe(50 + 100 + 30 + 7);
    expect(quota.used).toBe(10.5 + 20.25 + 3 + 1);
    expect(quota.remaining).toBe(187 - 34.75);
  });

  it('counts an EXPIRED free trial out even before its expiry date', () => {
    const quota = normalizeUsageLimits(
      withEntry({
        usageLimit: 50,
        currentUsage: 5,
        freeTrialInfo: { freeTrialStatus: 'EXPIRED', freeTrialExpiry: (NOW + HOUR) / 1000, usageLimit: 500 },
      }),
      NOW,
    );
    expect(quota).toMatchObject({ limit: 50, used: 5, remaining: 45, freeTrial: { active: false } });
  });

  it('uses the CREDIT entry wherever it is, else the first entry', () => {
    const credit = { resourceType: 'CREDIT', usageLimit: 1000, currentUsage: 1 };
    const spec = { resourceType: 'SPEC', usageLimit: 5, currentUsage: 4 };
    expect(normalizeUsageLimits({ usageBreakdownList: [spec, credit] }, NOW).limit).toBe(1000);
    expect(
      normalizeUsageLimits({ usageBreakdownList: [spec, { ...credit, resourceType: 'VIBE' }] }, NOW).limit,
    ).toBe(5);
  });

  it('tolerates a bare answer: rounded fields only, no subscription, no user, reset only on the entry', () => {
    const quota = normalizeUsageLimits(
      withEntry({ usageLimit: 50, currentUsage: 60, nextDateReset: 1785542400.25 }),
      NOW,
    );
    expect(quota).toEqual({
      limit: 50,
      used: 60,
      remaining: 0,
      resetsAt: 1785542400250,
      subscriptionTitle: undefined,
      overageCapable: false,
      overageEnabled: false,
      freeTrial: undefined,
      bonuses: [],
      email: undefined,
      fetchedAt: NOW,
    });
  });

  it('falls back to limits[] (agentic requests first) when there is no usable breakdown', () => {
    const quota = normalizeUsageLimits(
      {
        usageBreakdownList: [{ resourceType: 'CREDIT', displayName: 'Credit' }],
        limits: [
          { type: 'CODE_COMPLETIONS', currentUsage: 1, totalUsageLimit: 1000 },
          { type: 'AGENTIC_REQUEST', currentUsage: 12, totalUsageLimit: 50 },
        ],
      },
      NOW,
    );
    expect(quota).toMatchObject({ limit: 50, used: 12, remaining: 38, bonuses: [] });
    expect(quota.resetsAt).toBeUndefined();
  });

  it('reads the older single usageBreakdown object', () => {
    expect(
      normalizeUsageLimits({ usageBreakdown: { usageLimit: 300, currentUsage: 30 } }, NOW),
    ).toMatchObject({
      limit: 300,
      remaining: 270,
    });
  });

  it('reads both overage flags', () => {
    const answer = {
      ...fullSample(),
      subscriptionInfo: { overageCapability: 'OVERAGE_CAPABLE' },
      overageConfiguration: { overageStatus: 'ENABLED' },
    };
    expect(normalizeUsageLimits(answer, NOW)).toMatchObject({ overageCapable: true, overageEnabled: true });
    const incapable = { ...answer, subscriptionInfo: { overageCapability: 'OVERAGE_INCAPABLE' } };
    expect(normalizeUsageLimits(incapable, NOW).overageCapable).toBe(false);
  });

  it('throws a clear error only when no limit is present at all', () => {
    for (const answer of [
      {},
      { usageBreakdownList: [], limits: [] },
      { usageBreakdownList: [{ currentUsage: 3 }] },
    ]) {
      expect(() => normalizeUsageLimits(answer, NOW)).toThrow(/without any usage limit/);
    }
    expect(() => normalizeUsageLimits(null, NOW)).toThrow(/not a JSON object/);
    expect(() => normalizeUsageLimits('{"limits":[]}', NOW)).toThrow(/not a JSON object/);
  });
});

describe('forecastExhaustion', () => {
  function quota(overrides: Partial<QuotaSnapshot>): QuotaSnapshot {
    return {
      limit: 1000,
      used: 500,
      remaining: 500,
      overageCapable: false,
      overageEnabled: false,
      bonuses: [],
      fetchedAt: NOW,
      ...overrides,
    };
  }
  const hourly = (...used: number[]) =>
    used.map((value, index) => ({ at: NOW - (used.length - 1 - index) * HOUR, used: value }));

  it('projects the remaining quota at the steady rate from the quota reading', () => {
    expect(forecastExhaustion(hourly(100, 200, 300, 400, 500), quota({}))).toBe(NOW + 5 * HOUR);
  });

  it('fits the rate by least squares over all samples, in any order', () => {
    // First/last would say 100/h; the fit says 98/h.
    const samples = hourly(0, 110, 190, 300).reverse();
    expect(forecastExhaustion(samples, quota({ used: 510, remaining: 490 }))).toBe(NOW + 5 * HOUR);
  });

  it('only uses the samples since the last drop (a reset)', () => {
    // 50/h before the reset, 200/h after it.
    const samples = hourly(900, 950, 0, 200, 400);
    expect(forecastExhaustion(samples, quota({ used: 400, remaining: 600 }))).toBe(NOW + 3 * HOUR);
  });

  it('has no answer from too little data: few readings, a short span, or a tiny rise', () => {
    const minutes = (...used: number[]) =>
      used.map((value, index) => ({ at: NOW - (used.length - 1 - index) * 5 * 60_000, used: value }));
    // 0.2 credits over ten minutes would otherwise forecast the whole month's quota gone within a day.
    expect(forecastExhaustion(minutes(499.8, 499.9, 500), quota({}))).toBeUndefined();
    expect(forecastExhaustion(minutes(300, 400, 500), quota({}))).toBeUndefined(); // ten minutes only
    expect(forecastExhaustion(hourly(400, 500), quota({}))).toBeUndefined(); // two readings
    expect(forecastExhaustion(hourly(495, 497.5, 500), quota({}))).toBeUndefined(); // 0.5 % of the limit
    expect(forecastExhaustion(hourly(490, 495, 500), quota({}))).toBe(NOW + 100 * HOUR);
  });

  it('has no answer when usage is flat, too few samples exist, or the quota resets first', () => {
    expect(forecastExhaustion(hourly(500, 500, 500), quota({}))).toBeUndefined();
    expect(forecastExhaustion(hourly(500), quota({}))).toBeUndefined();
    expect(forecastExhaustion([], quota({}))).toBeUndefined();
    expect(
      forecastExhaustion(hourly(100, 200, 300, 400, 500), quota({ resetsAt: NOW + 4 * HOUR })),
    ).toBeUndefined();
    expect(forecastExhaustion(hourly(100, 200, 300, 400, 500), quota({ resetsAt: NOW + 6 * HOUR }))).toBe(
      NOW + 5 * HOUR,
    );
  });

  it('says "now" for a quota that is already used up', () => {
    expect(forecastExhaustion([], quota({ used: 1000, remaining: 0 }))).toBe(NOW);
  });
});
