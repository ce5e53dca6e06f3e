/**
 * What replicas sharing the Kiro accounts tell each other about them beyond the records and lasting states:
 * the cooldowns Kiro's throttling put an account in (so a replica does not keep hammering an account another
 * replica has just been told to leave alone), the quotas read from Kiro (one read serves every dashboard and
 * every quota-aware strategy), and the account each conversation is on (so a load balancer that sends the next
 * turn to another replica does not move the conversation to another account and lose Kiro's prompt cache).
 */
import type { Clock } from '../ports.ts';
import type { AccountState, QuotaSnapshot } from './accountModel.ts';
import type { AccountPool } from './accountPool.ts';

export type CoolingDownState = Extract<AccountState, { kind: 'cooling_down' }>;

export type PoolSignal =
  | { type: 'cooldown'; accountId: string; state: CoolingDownState }
  | { type: 'quota'; accountId: string; quota: QuotaSnapshot };

export interface PoolSignals {
  /** Tells the other replicas; never throws (an unreachable Redis only means they are not told). */
  publish(signal: PoolSignal): void;
  /** Signals from the other replicas; at subscription, the cooldowns and quotas already known. */
  onSignal(listener: (signal: PoolSignal) => void): () => void;
  /** The account that last served this conversation on any replica; undefined when unknown or unreachable. */
  sessionAccount(sessionKey: string): Promise<string | undefined>;
  rememberSession(sessionKey: string, accountId: string): void;
}

/** Applies the other replicas' signals to this replica's pool. */
export function followPoolSignals(pool: AccountPool, signals: PoolSignals, clock: Clock): () => void {
  return signals.onSignal((signal) => {
    const current = pool.get(signal.accountId);
    if (!current) return;
    if (signal.type === 'quota') {
      if (!current.quota || current.quota.fetchedAt < signal.quota.fetchedAt)
        pool.setQuota(signal.accountId, signal.quota);
      return;
    }
    if (signal.state.until <= clock.now()) return;
    // A cooldown never replaces a state that says more (exhausted, needs a sign-in, disabled) or lasts longer.
    const replaces =
      current.state.kind === 'active' ||
      (current.state.kind === 'cooling_down' && current.state.until < signal.state.until);
    if (replaces) pool.setState(signal.accountId, signal.state);
  });
}
