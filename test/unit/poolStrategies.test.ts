import { describe, expect, it } from 'vitest';
import {
  createSessionAffinity,
  POOL_STRATEGIES,
  isPoolStrategy,
  rankCandidates,
  type StrategyCandidate,
} from '../../electron/core/accounts/poolStrategies.ts';

type Candidate = StrategyCandidate & { id: string };

const candidate = (id: string, inFlight = 0, remaining?: number): Candidate =>
  remaining === undefined ? { id, inFlight } : { id, inFlight, quota: { remaining } };

const order = (ranked: Candidate[]) => ranked.map((entry) => entry.id);

describe('rankCandidates', () => {
  const accounts = [candidate('a', 3, 5), candidate('b', 1), candidate('c', 0, 50), candidate('d', 1, 50)];

  it('sequential keeps repository order', () => {
    expect(order(rankCandidates('sequential', accounts, 7))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('round-robin starts at the rotation, wrapping around', () => {
    expect(order(rankCandidates('round-robin', accounts, 0))).toEqual(['a', 'b', 'c', 'd']);
    expect(order(rankCandidates('round-robin', accounts, 2))).toEqual(['c', 'd', 'a', 'b']);
    expect(order(rankCandidates('round-robin', accounts, 5))).toEqual(['b', 'c', 'd', 'a']);
    expect(rankCandidates('round-robin', [], 3)).toEqual([]);
  });

  it('most-quota puts the largest remaining first, ties by order, unknown quota last', () => {
    expect(order(rankCandidates('most-quota', accounts, 0))).toEqual(['c', 'd', 'a', 'b']);
  });

  it('most-quota ranks an overdrawn account above one with unknown quota', () => {
    const ranked = rankCandidates('most-quota', [candidate('unknown'), candidate('overdrawn', 0, -20)], 0);
    expect(order(ranked)).toEqual(['overdrawn', 'unknown']);
  });

  it('least-in-flight puts the least busy first, ties by order', () => {
    expect(order(rankCandidates('least-in-flight', accounts, 0))).toEqual(['c', 'b', 'd', 'a']);
  });

  it('never changes the list it was given', () => {
    const copy = [...accounts];
    for (const strategy of POOL_STRATEGIES) rankCandidates(strategy, accounts, 1);
    expect(accounts).toEqual(copy);
  });
});

describe('isPoolStrategy', () => {
  it('accepts exactly the known strategies', () => {
    expect(POOL_STRATEGIES.every(isPoolStrategy)).toBe(true);
    for (const value of ['optimal', '', undefined, 3, 'Sequential'])
      expect(isPoolStrategy(value)).toBe(false);
  });
});

describe('createSessionAffinity', () => {
  it('remembers the latest account of each session', () => {
    const affinity = createSessionAffinity(10);
    affinity.remember('s1', 'a');
    affinity.remember('s2', 'b');
    affinity.remember('s1', 'c');
    expect([affinity.accountFor('s1'), affinity.accountFor('s2'), affinity.accountFor('s3')]).toEqual([
      'c',
      'b',
      undefined,
    ]);
    affinity.clear();
    expect(affinity.accountFor('s1')).toBeUndefined();
  });

  it('forgets the least recently used session beyond its capacity', () => {
    const affinity = createSessionAffinity(2);
    affinity.remember('old', 'a');
    affinity.remember('used', 'b');
    affinity.remember('old', 'a');
    affinity.remember('new', 'c');
    expect(affinity.accountFor('used')).toBeUndefined();
    expect(affinity.accountFor('old')).toBe('a');
    expect(affinity.accountFor('new')).toBe('c');
  });
});
