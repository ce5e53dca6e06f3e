/**
 * Credits each key spent in its current budget period. One Kiro Dock keeps them in memory, seeded at start from
 * the usage ledger (when there is one) so a restart does not hand a key a fresh budget; replicas share them in
 * Redis (`redis/redisKeySpending.ts`), hence the promise.
 */
import type { BudgetPeriod } from './clientKeyRecord.ts';
import { periodWindow } from './budgetPeriod.ts';

export interface KeySpending {
  /** Credits the key spent in the period that contains `now`. */
  spent(keyId: string, period: BudgetPeriod, now: number): Promise<number>;
  add(keyId: string, credits: number, at: number): void;
}

/** Where past spending comes from at start: sums over the ledger since a time. */
export type SpendingSource = (keyId: string, since: number) => number;

export function createKeySpending(source?: SpendingSource): KeySpending {
  // key id → period start → credits; only the current day and month are ever asked for.
  const totals = new Map<string, Map<string, number>>();
  const bucket = (keyId: string, period: BudgetPeriod, now: number) => {
    const name = `${period}:${periodWindow(period, now).start}`;
    let perKey = totals.get(keyId);
    if (!perKey) totals.set(keyId, (perKey = new Map<string, number>()));
    if (!perKey.has(name)) {
      dropOtherPeriods(perKey, period, name);
      perKey.set(name, source?.(keyId, periodWindow(period, now).start) ?? 0);
    }
    return { perKey, name };
  };
  return {
    spent(keyId, period, now) {
      const { perKey, name } = bucket(keyId, period, now);
      return Promise.resolve(perKey.get(name) ?? 0);
    },
    add(keyId, credits, at) {
      if (!(credits > 0)) return;
      for (const period of ['day', 'month'] as const) {
        const { perKey, name } = bucket(keyId, period, at);
        perKey.set(name, (perKey.get(name) ?? 0) + credits);
      }
    },
  };
}

function dropOtherPeriods(perKey: Map<string, number>, period: BudgetPeriod, keep: string): void {
  for (const name of perKey.keys()) {
    if (name.startsWith(`${period}:`) && name !== keep) perKey.delete(name);
  }
}
