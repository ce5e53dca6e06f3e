/**
 * The getUsageLimits answer (docs/upstream/endpoints.md §3) for one account: a Pro plan whose CREDIT breakdown counts
 * what the emulator metered for that account.
 */
import type { EmulatorAccount } from './accountStore.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export function usageLimitsBody(account: EmulatorAccount, nowMs: number): Record<string, unknown> {
  const now = new Date(nowMs);
  const resetMs = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  // Epoch seconds as a float, like the real service.
  const nextDateReset = resetMs / 1000;
  return {
    nextDateReset,
    daysUntilReset: Math.ceil((resetMs - nowMs) / DAY_MS),
    limits: [],
    usageBreakdown: null,
    usageBreakdownList: [
      {
        resourceType: 'CREDIT',
        displayName: 'Credit',
        displayNamePlural: 'Credits',
        unit: 'INVOCATIONS',
        currentUsage: Math.floor(account.credits),
        currentUsageWithPrecision: account.credits,
        usageLimit: account.creditLimit,
        usageLimitWithPrecision: account.creditLimit,
        currentOverages: 0,
        currentOveragesWithPrecision: 0,
        overageCap: 10_000,
        overageCapWithPrecision: 10_000,
        overageRate: 0.04,
        overageCharges: 0,
        currency: 'USD',
        nextDateReset,
        bonuses: [],
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
    userInfo: { email: account.email, userId: account.userId },
  };
}
