import { describe, expect, it } from 'vitest';
import { NoAccountAvailableError, PoolSaturatedError } from '../../electron/core/accounts/accountErrors.ts';
import type { AccountState, QuotaSnapshot } from '../../electron/core/accounts/accountModel.ts';
import {
  createAccountPool,
  type AccountPool,
  type AccountPoolOptions,
  type Lease,
  type PoolEvent,
} from '../../electron/core/accounts/accountPool.ts';
import type { Clock } from '../../electron/core/ports.ts';
import { createClock } from '../../electron/core/time/createClock.ts';
import { accountRecord as record } from '../support/accountRecord.ts';
import { createFakeClock } from '../support/fakeClock.ts';

function quota(remaining: number, fetchedAt = 0): QuotaSnapshot {
  return {
    limit: 1000,
    used: 1000 - remaining,
    remaining,
    overageCapable: false,
    overageEnabled: false,
    bonuses: [],
    fetchedAt,
  };
}

const RELOGIN: AccountState = {
  kind: 'needs_relogin',
  reason: 'refresh token rejected',
  howToFix: 'Sign in to Kiro IDE again.',
};

function setup(ids: string[], options: Partial<AccountPoolOptions> = {}) {
  const clock = createFakeClock();
  const pool = createAccountPool({ clock, ...options });
  pool.setAccounts(ids.map((id) => ({ record: record(id) })));
  const events: PoolEvent[] = [];
  pool.onEvent((event) => events.push(event));
  return { pool, clock, events };
}

/** Account ids of `count` leases taken one after another (kept, so that in-flight counts grow). */
async function acquireMany(
  pool: AccountPool,
  count: number,
  options: Parameters<AccountPool['acquire']>[0] = {},
) {
  const leases: Lease[] = [];
  for (let index = 0; index < count; index++) leases.push(await pool.acquire(options));
  return leases;
}

const ids = (leases: Lease[]) => leases.map((lease) => lease.accountId);

/** Acquires and releases at once: which account the next request gets. */
async function nextAccount(pool: AccountPool, options: Parameters<AccountPool['acquire']>[0] = {}) {
  const lease = await pool.acquire(options);
  lease.release();
  return lease.accountId;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('account pool: strategies', () => {
  it('sequential fills the first account before using the next', async () => {
    const { pool } = setup(['a', 'b', 'c'], { maxConcurrentPerAccount: 2 });
    expect(ids(await acquireMany(pool, 5))).toEqual(['a', 'a', 'b', 'b', 'c']);
  });

  it('round-robin rotates the starting account', async () => {
    const { pool } = setup(['a', 'b', 'c'], { strategy: 'round-robin' });
    const order = [];
    for (let index = 0; index < 5; index++) order.push(await nextAccount(pool));
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b']);
  });

  it('most-quota prefers the largest remaining quota, unknown quota last', async () => {
    const { pool } = setup(['a', 'b', 'c', 'd'], { strategy: 'most-quota', maxConcurrentPerAccount: 1 });
    pool.setQuota('b', quota(10));
    pool.setQuota('c', quota(500));
    pool.setQuota('d', quota(10));
    expect(ids(await acquireMany(pool, 4))).toEqual(['c', 'b', 'd', 'a']);
  });

  it('least-in-flight prefers the account with the fewest requests, ties by order', async () => {
    const { pool } = setup(['a', 'b', 'c'], { strategy: 'least-in-flight' });
    const leases = await acquireMany(pool, 4);
    expect(ids(leases)).toEqual(['a', 'b', 'c', 'a']);
    leases[1]?.release();
    expect(await nextAccount(pool)).toBe('b');
  });

  it('switches strategy at run time and announces it', async () => {
    const { pool, events } = setup(['a', 'b']);
    pool.setStrategy('round-robin');
    pool.setStrategy('round-robin');
    expect(pool.strategy).toBe('round-robin');
    expect(events).toEqual([{ type: 'strategy', strategy: 'round-robin' }]);
    expect([await nextAccount(pool), await nextAccount(pool)]).toEqual(['a', 'b']);
    expect(() => pool.setStrategy('random' as never)).toThrow(RangeError);
  });
});

describe('account pool: sticky sessions', () => {
  it('keeps a session on its account', async () => {
    const { pool } = setup(['a', 'b', 'c'], { strategy: 'round-robin' });
    expect(await nextAccount(pool, { sessionKey: 's1' })).toBe('a');
    expect(await nextAccount(pool, { sessionKey: 's2' })).toBe('b');
    expect(await nextAccount(pool)).toBe('c');
    expect(await nextAccount(pool, { sessionKey: 's1' })).toBe('a');
    expect(await nextAccount(pool, { sessionKey: 's2' })).toBe('b');
  });

  it('moves a session when its account is no longer eligible, and stays on the new one', async () => {
    const { pool, clock } = setup(['a', 'b', 'c'], { strategy: 'round-robin' });
    expect(await nextAccount(pool, { sessionKey: 's1' })).toBe('a');
    pool.setState('a', { kind: 'cooling_down', until: clock.now() + 1000, reason: 'throttled' });
    const moved = await nextAccount(pool, { sessionKey: 's1' });
    expect(moved).not.toBe('a');
    clock.advance(1000);
    expect(await nextAccount(pool, { sessionKey: 's1' })).toBe(moved);
  });

  it('moves a session when its account is at capacity', async () => {
    const { pool } = setup(['a', 'b'], { maxConcurrentPerAccount: 1 });
    const held = await pool.acquire({ sessionKey: 's1' });
    expect(held.accountId).toBe('a');
    expect(await nextAccount(pool, { sessionKey: 's1' })).toBe('b');
  });

  it('moves a session off an account excluded for the request', async () => {
    const { pool } = setup(['a', 'b']);
    expect(await nextAccount(pool, { sessionKey: 's1' })).toBe('a');
    expect(await nextAccount(pool, { sessionKey: 's1', exclude: new Set(['a']) })).toBe('b');
  });

  it('ignores session keys when stickiness is off', async () => {
    const { pool } = setup(['a', 'b'], { strategy: 'round-robin', stickySessions: false });
    expect(await nextAccount(pool, { sessionKey: 's1' })).toBe('a');
    expect(await nextAccount(pool, { sessionKey: 's1' })).toBe('b');
  });
});

describe('account pool: exclusion and errors', () => {
  it('skips excluded accounts', async () => {
    const { pool } = setup(['a', 'b', 'c']);
    expect(await nextAccount(pool, { exclude: new Set(['a', 'b']) })).toBe('c');
  });

  it('explains that every account was already tried', async () => {
    const { pool } = setup(['a', 'b']);
    const error = await rejection(pool.acquire({ exclude: new Set(['a', 'b']) }));
    expect(error).toBeInstanceOf(NoAccountAvailableError);
    const noAccount = error as NoAccountAvailableError;
    expect(noAccount.message).toBe(
      'No Kiro account can serve this request: 2 already failed for this request.',
    );
    expect(noAccount.states.active).toBe(2);
    expect(noAccount.retryAfterMs).toBeUndefined();
  });

  it('counts the states of the accounts that cannot serve, with the earliest time one comes back', async () => {
    const { pool, clock } = setup(['a', 'b', 'c', 'd', 'e']);
    const reset = Date.UTC(2026, 11, 1);
    pool.setState('a', { kind: 'exhausted', until: reset, reason: 'MONTHLY_REQUEST_COUNT' });
    pool.setState('b', { kind: 'exhausted', until: reset + 3_600_000, reason: 'MONTHLY_REQUEST_COUNT' });
    pool.setState('c', RELOGIN);
    pool.setState('d', { kind: 'cooling_down', until: clock.now() + 12_000, reason: 'throttled' });
    pool.setState('e', { kind: 'suspended', since: clock.now(), reason: 'temporarily is suspended' });
    const error = (await rejection(pool.acquire())) as NoAccountAvailableError;
    expect(error.message).toBe(
      'No Kiro account can serve this request: 1 cooling down for 12 s, 2 exhausted until 2026-12-01 00:00 UTC, ' +
        '1 needs re-login (Sign in to Kiro IDE again), 1 suspended by Kiro.',
    );
    expect(error.states).toEqual({
      none: 0,
      active: 0,
      cooling_down: 1,
      exhausted: 2,
      needs_relogin: 1,
      suspended: 1,
      disabled: 0,
    });
    expect(error.retryAfterMs).toBe(12_000);
  });

  it('says so when no account is configured', async () => {
    const { pool } = setup([]);
    const error = (await rejection(pool.acquire())) as NoAccountAvailableError;
    expect(error).toBeInstanceOf(NoAccountAvailableError);
    expect(error.message).toMatch(/^No Kiro account is configured: /);
    expect(error.states.none).toBe(1);
  });
});

describe('account pool: capacity and queue', () => {
  it('queues requests in arrival order until a lease is released', async () => {
    const { pool } = setup(['a'], { maxConcurrentPerAccount: 1 });
    const first = await pool.acquire();
    const served: string[] = [];
    const second = pool.acquire().then((lease) => {
      served.push('second');
      return lease;
    });
    const third = pool.acquire().then(() => served.push('third'));
    first.release();
    first.release();
    const secondLease = await second;
    expect(served).toEqual(['second']);
    secondLease.release();
    await third;
    expect(served).toEqual(['second', 'third']);
    expect(pool.get('a')?.inFlight).toBe(1);
  });

  it('counts each lease once however often it is released', async () => {
    const { pool } = setup(['a']);
    const [first, second] = await acquireMany(pool, 2);
    first?.release();
    first?.release();
    expect(pool.get('a')?.inFlight).toBe(1);
    second?.release();
    expect(pool.get('a')?.inFlight).toBe(0);
  });

  it('serves a waiter that another waiter’s exclusions would have blocked', async () => {
    const { pool } = setup(['a', 'b'], { maxConcurrentPerAccount: 1 });
    const [onA] = await acquireMany(pool, 2);
    const wantsB = pool.acquire({ exclude: new Set(['a']) });
    const anyAccount = pool.acquire();
    onA?.release();
    expect((await anyAccount).accountId).toBe('a');
    pool.dispose();
    await expect(wantsB).rejects.toThrow('disposed');
  });

  it('gives up with PoolSaturatedError after the queue timeout', async () => {
    const { pool, clock } = setup(['a'], { maxConcurrentPerAccount: 1, queueTimeoutMs: 5_000 });
    await pool.acquire();
    const waiting = rejection(pool.acquire());
    clock.advance(4_999);
    clock.advance(1);
    const error = await waiting;
    expect(error).toBeInstanceOf(PoolSaturatedError);
    expect((error as PoolSaturatedError).retryAfterMs).toBeGreaterThan(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('refuses at once when the queue is full', async () => {
    const { pool } = setup(['a'], { maxConcurrentPerAccount: 1, maxQueue: 1 });
    await pool.acquire();
    const queued = pool.acquire();
    const error = await rejection(pool.acquire());
    expect(error).toBeInstanceOf(PoolSaturatedError);
    expect((error as Error).message).toContain('the queue (1 waiting request) is full');
    pool.dispose();
    await expect(queued).rejects.toThrow('disposed');
  });

  it('stops waiting when the request is aborted, and frees its place', async () => {
    const { pool, clock } = setup(['a'], { maxConcurrentPerAccount: 1, maxQueue: 1 });
    const held = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire({ signal: controller.signal });
    const reason = new Error('client went away');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    const next = pool.acquire();
    held.release();
    expect((await next).accountId).toBe('a');
  });

  it('rejects an already aborted request without queueing it', async () => {
    const { pool } = setup(['a']);
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(pool.acquire({ signal: controller.signal })).rejects.toThrow('gone');
    expect(pool.get('a')?.inFlight).toBe(0);
  });

  it('tells a waiter when its accounts stop being eligible', async () => {
    const { pool } = setup(['a'], { maxConcurrentPerAccount: 1 });
    await pool.acquire();
    const waiting = rejection(pool.acquire());
    pool.setState('a', RELOGIN);
    expect(await waiting).toBeInstanceOf(NoAccountAvailableError);
  });
});

describe('account pool: timed states', () => {
  it('ends a cooldown on time with a state event and serves waiters again', async () => {
    const { pool, clock, events } = setup(['a']);
    const cooling: AccountState = { kind: 'cooling_down', until: clock.now() + 5_000, reason: 'throttled' };
    pool.setState('a', cooling);
    expect((await rejection(pool.acquire())) as NoAccountAvailableError).toMatchObject({
      retryAfterMs: 5_000,
    });
    clock.advance(5_000);
    expect(events).toEqual([
      { type: 'state', accountId: 'a', from: { kind: 'active' }, to: cooling },
      { type: 'state', accountId: 'a', from: cooling, to: { kind: 'active' } },
    ]);
    expect(await nextAccount(pool)).toBe('a');
  });

  it('checks expiry on acquire even when no timer has fired', async () => {
    let now = 1_000;
    const timersNeverFire: Clock = createClock({
      wallNow: () => now,
      monotonicNow: () => now,
      arm: () => ({ cancel: () => {} }),
    });
    const pool = createAccountPool({ clock: timersNeverFire });
    pool.setAccounts([{ record: record('a') }]);
    const events: PoolEvent[] = [];
    pool.onEvent((event) => events.push(event));
    pool.setState('a', { kind: 'exhausted', until: 2_000, reason: 'quota' });
    now = 2_000;
    expect(await nextAccount(pool)).toBe('a');
    expect(events.at(-1)).toMatchObject({ type: 'state', accountId: 'a', to: { kind: 'active' } });
  });

  it('treats a timed state already over as active', () => {
    const { pool, clock, events } = setup(['a']);
    pool.setState('a', { kind: 'cooling_down', until: clock.now(), reason: 'throttled' });
    expect(pool.get('a')?.state).toEqual({ kind: 'active' });
    expect(events).toEqual([]);
  });

  it('emits state events only for changes', () => {
    const { pool, events } = setup(['a']);
    pool.setState('a', RELOGIN);
    pool.setState('a', { ...RELOGIN });
    pool.setState('a', { kind: 'active' });
    expect(events.map((event) => event.type === 'state' && event.to.kind)).toEqual([
      'needs_relogin',
      'active',
    ]);
  });
});

describe('account pool: setAccounts', () => {
  it('disables and re-enables accounts from their record', async () => {
    const { pool, events } = setup(['a', 'b']);
    pool.setAccounts([{ record: record('a', { disabled: true }) }, { record: record('b') }]);
    expect(pool.get('a')?.state).toEqual({ kind: 'disabled' });
    expect(await nextAccount(pool)).toBe('b');
    pool.setState('a', { kind: 'active' });
    expect(pool.get('a')?.state).toEqual({ kind: 'disabled' });
    pool.setAccounts([{ record: record('a') }, { record: record('b') }]);
    expect(pool.get('a')?.state).toEqual({ kind: 'active' });
    expect(
      events.filter((event) => event.type === 'state').map((event) => event.type === 'state' && event.to),
    ).toEqual([{ kind: 'disabled' }, { kind: 'active' }]);
  });

  it('explains disabled accounts', async () => {
    const { pool } = setup([]);
    pool.setAccounts([{ record: record('a', { disabled: true }) }]);
    const error = (await rejection(pool.acquire())) as NoAccountAvailableError;
    expect(error.message).toBe('No Kiro account can serve this request: 1 disabled in Kiro Dock.');
  });

  it('keeps the runtime state of known accounts, adds new ones with their persisted state, drops removed ones', async () => {
    const { pool, clock, events } = setup(['a', 'b']);
    const cooling: AccountState = { kind: 'cooling_down', until: clock.now() + 60_000, reason: 'throttled' };
    pool.setState('a', cooling);
    pool.setQuota('a', quota(7));
    pool.recordError('a', 'Too many requests');
    const held = await pool.acquire();
    events.length = 0;
    pool.setAccounts([
      { record: record('c'), persistedState: RELOGIN },
      { record: record('a', { label: 'renamed' }), expiresAt: 123 },
      { record: record('d') },
    ]);
    expect(pool.snapshot()).toEqual([
      { record: record('c'), state: RELOGIN, inFlight: 0 },
      {
        record: record('a', { label: 'renamed' }),
        state: cooling,
        quota: quota(7),
        inFlight: 0,
        expiresAt: 123,
        lastError: { message: 'Too many requests', at: clock.now() },
      },
      { record: record('d'), state: { kind: 'active' }, inFlight: 0 },
    ]);
    expect(events).toEqual([{ type: 'accounts' }]);
    held.release();
    expect(pool.get('b')).toBeUndefined();
  });

  it('announces nothing when the accounts did not change', () => {
    const { pool, events } = setup(['a', 'b']);
    pool.setAccounts([{ record: record('a') }, { record: record('b') }]);
    expect(events).toEqual([]);
    pool.setAccounts([{ record: record('b') }, { record: record('a') }]);
    expect(events).toEqual([{ type: 'accounts' }]);
  });

  it('applies a persisted state that changed since the last sync, and only then', () => {
    const { pool, clock } = setup(['a']);
    pool.setAccounts([{ record: record('a'), persistedState: RELOGIN }]);
    expect(pool.get('a')?.state).toEqual(RELOGIN);
    pool.setState('a', { kind: 'active' });
    pool.setAccounts([{ record: record('a'), persistedState: RELOGIN }]);
    expect(pool.get('a')?.state).toEqual({ kind: 'active' });
    pool.setState('a', RELOGIN);
    pool.setAccounts([{ record: record('a') }]);
    expect(pool.get('a')?.state).toEqual({ kind: 'active' });
    const cooling: AccountState = { kind: 'cooling_down', until: clock.now() + 1000, reason: 'throttled' };
    pool.setState('a', cooling);
    pool.setAccounts([{ record: record('a') }]);
    expect(pool.get('a')?.state).toEqual(cooling);
  });

  it('cancels the timers of removed accounts', () => {
    const { pool, clock } = setup(['a']);
    pool.setState('a', { kind: 'cooling_down', until: clock.now() + 1000, reason: 'throttled' });
    expect(clock.pendingTimers).toBe(1);
    pool.setAccounts([]);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('account pool: data', () => {
  it('hands out copies that cannot change the pool', () => {
    const { pool } = setup(['a']);
    pool.setQuota('a', quota(5));
    const copy = pool.snapshot()[0];
    if (copy?.quota) copy.quota.remaining = 999;
    if (copy) copy.record.label = 'changed';
    expect(pool.get('a')).toMatchObject({ record: { label: 'a' }, quota: { remaining: 5 } });
  });

  it('emits quota events and records expiry and errors', () => {
    const { pool, clock, events } = setup(['a']);
    pool.setQuota('a', quota(3));
    pool.setExpiresAt('a', 99);
    pool.recordError('a', 'boom');
    pool.setQuota('unknown', quota(1));
    expect(events).toEqual([{ type: 'quota', accountId: 'a', quota: quota(3) }]);
    expect(pool.get('a')).toMatchObject({ expiresAt: 99, lastError: { message: 'boom', at: clock.now() } });
  });

  it('stops delivering events to a listener that unsubscribed', () => {
    const { pool } = setup(['a']);
    const seen: PoolEvent[] = [];
    const stop = pool.onEvent((event) => seen.push(event));
    pool.setState('a', RELOGIN);
    stop();
    pool.setState('a', { kind: 'active' });
    expect(seen).toHaveLength(1);
  });
});

describe('account pool: dispose', () => {
  it('rejects waiters, cancels timers and refuses new requests', async () => {
    const { pool, clock } = setup(['a', 'b'], { maxConcurrentPerAccount: 1 });
    pool.setState('b', { kind: 'cooling_down', until: clock.now() + 1000, reason: 'throttled' });
    await pool.acquire();
    const waiting = pool.acquire();
    expect(clock.pendingTimers).toBe(2);
    pool.dispose();
    await expect(waiting).rejects.toThrow('disposed');
    expect(clock.pendingTimers).toBe(0);
    await expect(pool.acquire()).rejects.toThrow('disposed');
  });
});
