import type { AccountPool } from '../accounts/accountPool.ts';
import type { RequestStats } from './requestStats.ts';

/**
 * Keeps the account gauges in step with the pool: every state, quota or membership change re-reads the whole
 * (small) pool, so a removed account's gauges go with it. Returns the unsubscribe function.
 */
export function followPoolGauges(pool: AccountPool, stats: RequestStats): () => void {
  stats.setAccounts(pool.snapshot());
  return pool.onEvent((event) => {
    if (event.type !== 'strategy') stats.setAccounts(pool.snapshot());
  });
}
