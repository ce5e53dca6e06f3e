/**
 * How the pool chooses among the accounts that can serve a request: the strategies (pure functions) and the
 * memory of which account each conversation used.
 */

import { POOL_STRATEGIES, type PoolStrategy } from '../../../shared/adminApi.ts';

// The strategies are part of the admin contract (the dashboard offers them); the core uses the same list.
export { POOL_STRATEGIES, type PoolStrategy };

export function isPoolStrategy(value: unknown): value is PoolStrategy {
  return POOL_STRATEGIES.some((strategy) => strategy === value);
}

export interface StrategyCandidate {
  inFlight: number;
  quota?: { remaining: number };
}

/**
 * The candidates (eligible accounts, in repository order) from most to least preferred:
 * - sequential: repository order, so the first account is used until it cannot serve (fill-first);
 * - round-robin: repository order rotated to start at `rotation` (modulo the count);
 * - most-quota: largest remaining quota first, accounts with unknown quota after the known ones;
 * - least-in-flight: fewest requests in flight first.
 * Ties keep repository order.
 */
export function rankCandidates<T extends StrategyCandidate>(
  strategy: PoolStrategy,
  candidates: readonly T[],
  rotation: number,
): T[] {
  switch (strategy) {
    case 'sequential':
      return [...candidates];
    case 'round-robin': {
      const start = candidates.length === 0 ? 0 : rotation % candidates.length;
      return [...candidates.slice(start), ...candidates.slice(0, start)];
    }
    case 'most-quota':
      return [...candidates].sort((a, b) => descending(remainingQuota(a), remainingQuota(b)));
    case 'least-in-flight':
      return [...candidates].sort((a, b) => a.inFlight - b.inFlight);
  }
}

/** Unknown quota ranks below any known one, even an overdrawn (negative) one. */
function remainingQuota(candidate: StrategyCandidate): number {
  return candidate.quota?.remaining ?? -Infinity;
}

function descending(a: number, b: number): number {
  if (a === b) return 0;
  return a > b ? -1 : 1;
}

export interface SessionAffinity {
  accountFor(sessionKey: string): string | undefined;
  remember(sessionKey: string, accountId: string): void;
  clear(): void;
}

/**
 * Which account each conversation last used, so that it can stay there. Bounded: the sessions used least
 * recently are forgotten first, since a client may open any number of them.
 */
export function createSessionAffinity(maxSessions: number): SessionAffinity {
  const sessions = new Map<string, string>();
  return {
    accountFor: (sessionKey) => sessions.get(sessionKey),
    remember(sessionKey, accountId) {
      sessions.delete(sessionKey);
      sessions.set(sessionKey, accountId);
      const oldest = sessions.keys().next().value;
      if (sessions.size > maxSessions && oldest !== undefined) sessions.delete(oldest);
    },
    clear: () => sessions.clear(),
  };
}
