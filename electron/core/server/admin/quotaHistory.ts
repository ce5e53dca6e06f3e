/**
 * Recent quota readings per account, kept for the forecast of when each account runs dry. Bounded: the last
 * MAX_SAMPLES readings of accounts still in the pool.
 */
import type { QuotaSnapshot } from '../../accounts/accountModel.ts';
import type { AccountPool } from '../../accounts/accountPool.ts';
import { forecastExhaustion } from '../../accounts/usageLimits.ts';

/** A day of readings at the default five-minute interval. */
const MAX_SAMPLES = 288;

export interface QuotaHistory {
  /** Epoch ms when the account's credits run out at the recent rate, if before the reset. */
  forecast(accountId: string, quota: QuotaSnapshot): number | undefined;
  dispose(): void;
}

export function createQuotaHistory(pool: AccountPool): QuotaHistory {
  const samples = new Map<string, Array<{ at: number; used: number }>>();
  const stop = pool.onEvent((event) => {
    if (event.type === 'quota') {
      const list = samples.get(event.accountId) ?? [];
      list.push({ at: event.quota.fetchedAt, used: event.quota.used });
      if (list.length > MAX_SAMPLES) list.splice(0, list.length - MAX_SAMPLES);
      samples.set(event.accountId, list);
    } else if (event.type === 'accounts') {
      const present = new Set(pool.snapshot().map((account) => account.record.id));
      for (const id of samples.keys()) if (!present.has(id)) samples.delete(id);
    }
  });
  return {
    forecast: (accountId, quota) => forecastExhaustion(samples.get(accountId) ?? [], quota),
    dispose: stop,
  };
}
