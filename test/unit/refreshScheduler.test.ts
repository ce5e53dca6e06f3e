import { describe, expect, it } from 'vitest';
import {
  createRefreshScheduler,
  type RefreshScheduler,
  type RefreshSchedulerOptions,
} from '../../electron/core/accounts/refreshScheduler.ts';
import { createFakeClock } from '../support/fakeClock.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

class PermanentFailure extends Error {}

interface RefreshCall {
  accountId: string;
  at: number;
  resolve(expiresAt: number): void;
  reject(error: unknown): void;
}

/** A refresh callback whose calls the test answers one by one. */
function setup(overrides: Partial<RefreshSchedulerOptions> = {}) {
  const clock = createFakeClock();
  const calls: RefreshCall[] = [];
  const failures: Array<{ accountId: string; error: unknown; permanent: boolean }> = [];
  const scheduler = createRefreshScheduler({
    clock,
    refresh: (accountId) =>
      new Promise((resolve, reject) => {
        calls.push({ accountId, at: clock.now(), resolve: (expiresAt) => resolve({ expiresAt }), reject });
      }),
    isPermanentFailure: (error) => error instanceof PermanentFailure,
    onFailure: (accountId, error, permanent) => failures.push({ accountId, error, permanent }),
    random: () => 0.5,
    ...overrides,
  });
  return { clock, calls, failures, scheduler };
}

/** Waits for the refresh in flight (started by a timer or track) to finish, whatever its outcome. */
async function settled(scheduler: RefreshScheduler, accountId: string): Promise<void> {
  expect(scheduler.isRefreshing(accountId)).toBe(true);
  await scheduler.refreshNow(accountId).catch(() => undefined);
}

/** A small deterministic generator, so the spread of 100 accounts is reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('fake clock', () => {
  it('runs due timers in order, including timers they schedule, and only those due', () => {
    const clock = createFakeClock(1_000);
    const ran: Array<[string, number]> = [];
    clock.setTimer(() => ran.push(['b', clock.now()]), 20);
    clock.setTimer(() => {
      ran.push(['a', clock.now()]);
      clock.setTimer(() => ran.push(['nested', clock.now()]), 5);
      clock.setTimer(() => ran.push(['late', clock.now()]), 500);
    }, 10);
    const cancelled = clock.setTimer(() => ran.push(['cancelled', clock.now()]), 15);
    cancelled.cancel();
    clock.advance(100);
    expect(ran).toEqual([
      ['a', 1_010],
      ['nested', 1_015],
      ['b', 1_020],
    ]);
    expect(clock.now()).toBe(1_100);
    expect(clock.pendingTimers).toBe(1);
  });
});

describe('refresh scheduler: proactive refresh', () => {
  it('refreshes before expiry, spread by jitter across 100 accounts', () => {
    const { clock, calls, scheduler } = setup({ random: seededRandom(7) });
    const expiresAt = clock.now() + HOUR;
    for (let index = 0; index < 100; index++) scheduler.track(`acc_${index}`, expiresAt);
    expect(clock.pendingTimers).toBe(100);
    clock.advance(HOUR - 6 * MINUTE);
    expect(calls).toHaveLength(0);
    clock.advance(MINUTE);
    expect(calls).toHaveLength(100);
    const times = calls.map((call) => call.at);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(expiresAt - 6 * MINUTE);
    expect(Math.max(...times)).toBeLessThanOrEqual(expiresAt - 5 * MINUTE);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(45_000);
    expect(new Set(times).size).toBeGreaterThan(90);
  });

  it('honours the lead and jitter it is given', () => {
    const { clock, calls, scheduler } = setup({ leadMs: 10 * MINUTE, jitterMs: 0 });
    scheduler.track('acc_a', clock.now() + HOUR);
    clock.advance(50 * MINUTE - 1);
    expect(calls).toHaveLength(0);
    clock.advance(1);
    expect(calls.map((call) => call.accountId)).toEqual(['acc_a']);
  });

  it('refreshes at once when the due time has passed', () => {
    const { clock, calls, scheduler } = setup();
    scheduler.track('acc_a', clock.now() + MINUTE);
    expect(calls.map((call) => call.at)).toEqual([clock.now()]);
    expect(scheduler.isRefreshing('acc_a')).toBe(true);
  });

  it('schedules nothing for an account without expiry (API key)', () => {
    const { clock, calls, scheduler } = setup();
    scheduler.track('acc_key', undefined);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(24 * HOUR);
    expect(calls).toHaveLength(0);
  });

  it('reschedules when tracked again with another expiry', () => {
    const { clock, calls, scheduler } = setup({ jitterMs: 0 });
    scheduler.track('acc_a', clock.now() + HOUR);
    scheduler.track('acc_a', clock.now() + 2 * HOUR);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(HOUR);
    expect(calls).toHaveLength(0);
    clock.advance(HOUR - 5 * MINUTE);
    expect(calls).toHaveLength(1);
  });

  it('re-tracks with the expiry a refresh returns (rotation)', async () => {
    const { clock, calls, scheduler } = setup({ jitterMs: 0 });
    scheduler.track('acc_a', clock.now() + HOUR);
    clock.advance(55 * MINUTE);
    const started = clock.now();
    calls[0]?.resolve(started + HOUR);
    await settled(scheduler, 'acc_a');
    expect(clock.pendingTimers).toBe(1);
    clock.advance(55 * MINUTE - 1);
    expect(calls).toHaveLength(1);
    clock.advance(1);
    expect(calls.map((call) => call.at - started)).toEqual([0, 55 * MINUTE]);
  });

  it('does not loop on a token that lives shorter than the lead time', async () => {
    const { clock, calls, scheduler } = setup({ jitterMs: 0 });
    scheduler.track('acc_a', clock.now());
    calls[0]?.resolve(clock.now() + MINUTE);
    await settled(scheduler, 'acc_a');
    expect(calls).toHaveLength(1);
    clock.advance(30_000);
    expect(calls).toHaveLength(2);
  });
});

describe('refresh scheduler: single flight', () => {
  it('joins concurrent refreshNow calls into one refresh', async () => {
    const { calls, scheduler } = setup();
    const first = scheduler.refreshNow('acc_a');
    const second = scheduler.refreshNow('acc_a');
    const other = scheduler.refreshNow('acc_b');
    expect(calls.map((call) => call.accountId)).toEqual(['acc_a', 'acc_b']);
    calls[0]?.resolve(Date.UTC(2027, 0, 1));
    calls[1]?.resolve(Date.UTC(2027, 0, 1));
    await Promise.all([first, second, other]);
    expect(scheduler.isRefreshing('acc_a')).toBe(false);
  });

  it('a manual refresh replaces the scheduled one', async () => {
    const { clock, calls, scheduler } = setup({ jitterMs: 0 });
    scheduler.track('acc_a', clock.now() + 10 * MINUTE);
    clock.advance(4 * MINUTE);
    const manual = scheduler.refreshNow('acc_a');
    clock.advance(2 * MINUTE);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve(clock.now() + HOUR);
    await manual;
  });

  it('refreshes an untracked account once and schedules nothing after it', async () => {
    const { clock, calls, scheduler } = setup();
    const succeeding = scheduler.refreshNow('acc_a');
    calls[0]?.resolve(clock.now() + HOUR);
    await succeeding;
    const failing = scheduler.refreshNow('acc_a');
    calls[1]?.reject(new Error('reset'));
    await expect(failing).rejects.toThrow('reset');
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects every joined caller with the refresh error', async () => {
    const { calls, scheduler } = setup();
    const first = scheduler.refreshNow('acc_a');
    const second = scheduler.refreshNow('acc_a');
    const error = new Error('socket hang up');
    calls[0]?.reject(error);
    await expect(first).rejects.toBe(error);
    await expect(second).rejects.toBe(error);
  });
});

describe('refresh scheduler: failures', () => {
  it('retries transient failures after 30 s, 60 s, 120 s, 300 s, then every 300 s', async () => {
    const { clock, calls, failures, scheduler } = setup();
    scheduler.track('acc_a', clock.now());
    calls[0]?.reject(new Error('timeout'));
    await settled(scheduler, 'acc_a');
    const delays = [30_000, 60_000, 120_000, 300_000, 300_000];
    for (const [index, delay] of delays.entries()) {
      clock.advance(delay - 1);
      expect(calls).toHaveLength(index + 1);
      clock.advance(1);
      expect(calls).toHaveLength(index + 2);
      calls[index + 1]?.reject(new Error('timeout'));
      await settled(scheduler, 'acc_a');
    }
    expect(failures).toHaveLength(6);
    expect(failures.every((failure) => failure.accountId === 'acc_a' && !failure.permanent)).toBe(true);
  });

  it('starts over with the first delay after a success', async () => {
    const { clock, calls, scheduler } = setup({ retryDelaysMs: [1_000, 5_000] });
    scheduler.track('acc_a', clock.now());
    calls[0]?.reject(new Error('reset'));
    await settled(scheduler, 'acc_a');
    clock.advance(1_000);
    calls[1]?.reject(new Error('reset'));
    await settled(scheduler, 'acc_a');
    const manual = scheduler.refreshNow('acc_a');
    calls[2]?.resolve(clock.now());
    await manual;
    clock.advance(1_000);
    expect(calls).toHaveLength(4);
    calls[3]?.reject(new Error('reset'));
    await settled(scheduler, 'acc_a');
    clock.advance(999);
    expect(calls).toHaveLength(4);
    clock.advance(1);
    expect(calls).toHaveLength(5);
  });

  it('stops after a permanent failure and reports it', async () => {
    const { clock, calls, failures, scheduler } = setup();
    const expiresAt = clock.now();
    scheduler.track('acc_a', expiresAt);
    const error = new PermanentFailure('invalid_grant');
    calls[0]?.reject(error);
    await settled(scheduler, 'acc_a');
    expect(failures).toEqual([{ accountId: 'acc_a', error, permanent: true }]);
    expect(clock.pendingTimers).toBe(0);
    scheduler.track('acc_a', expiresAt);
    clock.advance(24 * HOUR);
    expect(calls).toHaveLength(1);
  });

  it('tries again when tracked with a new expiry after a permanent failure (a new login)', async () => {
    const { clock, calls, scheduler } = setup();
    scheduler.track('acc_a', clock.now());
    calls[0]?.reject(new PermanentFailure('invalid_grant'));
    await settled(scheduler, 'acc_a');
    scheduler.track('acc_a', clock.now() + MINUTE);
    expect(calls).toHaveLength(2);
  });

  it('keeps the retry backoff when re-tracked with the same expiry', async () => {
    const { clock, calls, scheduler } = setup();
    const expiresAt = clock.now();
    scheduler.track('acc_a', expiresAt);
    calls[0]?.reject(new Error('reset'));
    await settled(scheduler, 'acc_a');
    scheduler.track('acc_a', expiresAt);
    expect(calls).toHaveLength(1);
    clock.advance(30_000);
    expect(calls).toHaveLength(2);
  });

  it('schedules a retry after a failed refreshNow too', async () => {
    const { clock, calls, scheduler } = setup();
    scheduler.track('acc_a', clock.now() + HOUR);
    const refreshing = scheduler.refreshNow('acc_a');
    calls[0]?.reject(new Error('reset'));
    await expect(refreshing).rejects.toThrow('reset');
    clock.advance(30_000);
    expect(calls).toHaveLength(2);
  });
});

describe('refresh scheduler: untrack and dispose', () => {
  it('untrack cancels the pending refresh', () => {
    const { clock, calls, scheduler } = setup();
    scheduler.track('acc_a', clock.now() + HOUR);
    scheduler.track('acc_b', clock.now() + HOUR);
    scheduler.untrack('acc_a');
    expect(clock.pendingTimers).toBe(1);
    clock.advance(HOUR);
    expect(calls.map((call) => call.accountId)).toEqual(['acc_b']);
  });

  it('does not reschedule an account untracked while its refresh was in flight', async () => {
    const { clock, calls, failures, scheduler } = setup();
    scheduler.track('acc_a', clock.now());
    scheduler.untrack('acc_a');
    calls[0]?.reject(new Error('reset'));
    await settled(scheduler, 'acc_a');
    expect(clock.pendingTimers).toBe(0);
    expect(failures).toEqual([]);
  });

  it('never runs two refreshes of one account, even when re-tracked during a refresh', async () => {
    const { clock, calls, scheduler } = setup();
    scheduler.track('acc_a', clock.now());
    scheduler.untrack('acc_a');
    scheduler.track('acc_a', clock.now());
    expect(calls).toHaveLength(1);
    calls[0]?.resolve(clock.now() + HOUR);
    await settled(scheduler, 'acc_a');
    expect(clock.pendingTimers).toBe(1);
  });

  it('dispose cancels every timer and refuses later work, while in-flight refreshes still settle', async () => {
    const { clock, calls, scheduler } = setup();
    scheduler.track('acc_a', clock.now() + HOUR);
    const inFlight = scheduler.refreshNow('acc_b');
    scheduler.dispose();
    expect(clock.pendingTimers).toBe(0);
    scheduler.track('acc_c', clock.now());
    await expect(scheduler.refreshNow('acc_d')).rejects.toThrow('disposed');
    calls[0]?.resolve(clock.now() + HOUR);
    await inFlight;
    clock.advance(2 * HOUR);
    expect(calls.map((call) => call.accountId)).toEqual(['acc_b']);
    expect(clock.pendingTimers).toBe(0);
  });
});
