/**
 * What a replica does with the other replicas' pool signals: a cooldown parks an active account (or lengthens a
 * shorter cooldown) but never hides a state that says more, and a quota replaces only an older reading.
 */
import { describe, expect, it } from 'vitest';
import type { AccountState, QuotaSnapshot } from '../../electron/core/accounts/accountModel.ts';
import { createAccountPool } from '../../electron/core/accounts/accountPool.ts';
import {
  followPoolSignals,
  type CoolingDownState,
  type PoolSignal,
  type PoolSignals,
} from '../../electron/core/accounts/poolSignals.ts';
import { accountRecord as record } from '../support/accountRecord.ts';
import { createFakeClock } from '../support/fakeClock.ts';

/** Signals as a channel would bring them: whatever the test sends reaches the listener. */
function signalChannel() {
  let listener: ((signal: PoolSignal) => void) | undefined;
  const signals: PoolSignals = {
    publish: () => {},
    onSignal(next) {
      listener = next;
      return () => (listener = undefined);
    },
    sessionAccount: () => Promise.resolve(undefined),
    rememberSession: () => {},
  };
  return { signals, send: (signal: PoolSignal) => listener?.(signal) };
}

function setup() {
  const clock = createFakeClock();
  const pool = createAccountPool({ clock });
  pool.setAccounts([{ record: record('acc_a') }, { record: record('acc_b') }]);
  const channel = signalChannel();
  const stop = followPoolSignals(pool, channel.signals, clock);
  const cooldown = (untilIn: number): CoolingDownState => ({
    kind: 'cooling_down',
    until: clock.now() + untilIn,
    reason: 'Kiro throttled this account (on another replica)',
  });
  return { clock, pool, stop, ...channel, cooldown };
}

function quota(used: number, fetchedAt: number): QuotaSnapshot {
  const limit = 1000;
  return {
    limit,
    used,
    remaining: limit - used,
    overageCapable: false,
    overageEnabled: false,
    bonuses: [],
    fetchedAt,
  };
}

describe('followPoolSignals', () => {
  it("parks an active account for another replica's cooldown, which ends on time", () => {
    const { pool, send, cooldown, clock } = setup();
    const state = cooldown(5_000);
    send({ type: 'cooldown', accountId: 'acc_a', state });
    expect(pool.get('acc_a')?.state).toEqual(state);
    expect(pool.get('acc_b')?.state.kind).toBe('active');
    clock.advance(5_000);
    expect(pool.get('acc_a')?.state.kind).toBe('active');
  });

  it('lengthens a shorter cooldown, never shortens a longer one', () => {
    const { pool, send, cooldown } = setup();
    send({ type: 'cooldown', accountId: 'acc_a', state: cooldown(2_000) });
    send({ type: 'cooldown', accountId: 'acc_a', state: cooldown(9_000) });
    send({ type: 'cooldown', accountId: 'acc_a', state: cooldown(4_000) });
    expect(pool.get('acc_a')?.state).toEqual(cooldown(9_000));
  });

  it('leaves a state that says more alone, and ignores a cooldown already over or an unknown account', () => {
    const { pool, send, cooldown } = setup();
    const exhausted: AccountState = {
      kind: 'exhausted',
      until: cooldown(60_000).until,
      reason: '50 of 50 used',
    };
    pool.setState('acc_a', exhausted);
    send({ type: 'cooldown', accountId: 'acc_a', state: cooldown(120_000) });
    expect(pool.get('acc_a')?.state).toEqual(exhausted);
    send({ type: 'cooldown', accountId: 'acc_b', state: cooldown(-1) });
    expect(pool.get('acc_b')?.state.kind).toBe('active');
    send({ type: 'cooldown', accountId: 'acc_gone', state: cooldown(5_000) });
    expect(pool.get('acc_gone')).toBeUndefined();
  });

  it('takes a newer quota reading and keeps the newer one it has', () => {
    const { pool, send } = setup();
    send({ type: 'quota', accountId: 'acc_a', quota: quota(100, 2_000) });
    expect(pool.get('acc_a')?.quota?.used).toBe(100);
    send({ type: 'quota', accountId: 'acc_a', quota: quota(50, 1_000) });
    expect(pool.get('acc_a')?.quota?.used).toBe(100);
  });

  it('stops applying signals once stopped', () => {
    const { pool, send, stop, cooldown } = setup();
    stop();
    send({ type: 'cooldown', accountId: 'acc_a', state: cooldown(5_000) });
    expect(pool.get('acc_a')?.state.kind).toBe('active');
  });
});
