/**
 * The Clock's timers are deadlines: any distance ahead, re-armed below Node's 2^31−1 ms limit, re-checked when
 * the wall clock jumps. The fake clock runs the same clock logic over raw timers with Node's rules, so an
 * overflow shows in tests as it would in production; the last tests check those rules against Node itself.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../electron/core/ports.ts';
import { JUMP_CHECK_INTERVAL_MS, MAX_TIMER_DELAY_MS } from '../../electron/core/time/createClock.ts';
import { createFakeClock } from '../support/fakeClock.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

describe('timers far ahead', () => {
  it('a deadline 31 days ahead fires at the deadline, not before', () => {
    const clock = createFakeClock(Date.UTC(2027, 0, 1));
    const deadline = Date.UTC(2027, 1, 1);
    let firedAt: number | undefined;
    clock.setTimerAt(() => (firedAt = clock.now()), deadline);
    clock.advance(deadline - clock.now() - 1);
    expect(firedAt).toBeUndefined();
    clock.advance(1);
    expect(firedAt).toBe(deadline);
    expect(clock.overflowedTimers).toBe(0);
  });

  it('a delay of 40 days fires after 40 days', () => {
    const clock = createFakeClock();
    let fired = 0;
    clock.setTimer(() => fired++, 40 * DAY_MS);
    clock.advance(40 * DAY_MS - 1);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
    expect(clock.overflowedTimers).toBe(0);
  });

  it('the fake clock’s raw timers follow Node’s rule: beyond 2^31−1 ms they fire after 1 ms', () => {
    const clock = createFakeClock();
    let fired = false;
    clock.armRaw(() => (fired = true), MAX_TIMER_DELAY_MS + 1);
    clock.advance(1);
    expect(fired).toBe(true);
    expect(clock.overflowedTimers).toBe(1);
  });

  it('cancelled timers never fire, and a cancel after firing is harmless', () => {
    const clock = createFakeClock();
    let fired = 0;
    const far = clock.setTimerAt(() => fired++, clock.now() + 60 * DAY_MS);
    const near = clock.setTimer(() => fired++, 10);
    far.cancel();
    clock.advance(61 * DAY_MS);
    near.cancel();
    expect(fired).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('refuses a deadline that is not a number instead of firing at once', () => {
    const clock = createFakeClock();
    expect(() => clock.setTimerAt(() => undefined, Number.NaN)).toThrow(RangeError);
    expect(() => clock.setTimer(() => undefined, Number.NaN)).toThrow(RangeError);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('sleep', () => {
  it('resolves after the time has passed', async () => {
    const clock = createFakeClock();
    let done = false;
    const sleeping = clock.sleep(5_000).then(() => (done = true));
    clock.advance(4_999);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it('rejects with the signal’s reason when aborted, and leaves no timer', async () => {
    const clock = createFakeClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort(new Error('client went away'));
    await expect(sleeping).rejects.toThrow('client went away');
    expect(clock.pendingTimers).toBe(0);
    await expect(clock.sleep(1, controller.signal)).rejects.toThrow('client went away');
  });
});

describe('wall-clock jumps (sleep and wake)', () => {
  it('after two hours asleep, a deadline that passed meanwhile fires at the next check, and listeners hear of it', () => {
    const clock = createFakeClock(Date.UTC(2027, 11, 31, 23));
    const fired: number[] = [];
    const jumps: number[] = [];
    clock.onJump((jump) => jumps.push(jump.wallShiftMs));
    clock.setTimerAt(() => fired.push(clock.now()), clock.now() + HOUR_MS);
    // Asleep: the wall clock moves on, the monotonic clock (and so Node's timers) does not.
    clock.jump(2 * HOUR_MS);
    expect(fired).toEqual([]);
    clock.advance(JUMP_CHECK_INTERVAL_MS);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(Date.UTC(2028, 0, 1, 1));
    expect(jumps).toEqual([2 * HOUR_MS]);
  });

  it('a durations timer keeps its monotonic time across a jump', () => {
    const clock = createFakeClock();
    let fired = false;
    clock.onJump(() => undefined);
    clock.setTimer(() => (fired = true), 30_000);
    clock.jump(2 * HOUR_MS);
    clock.advance(JUMP_CHECK_INTERVAL_MS);
    expect(fired).toBe(false);
    clock.advance(30_000 - JUMP_CHECK_INTERVAL_MS);
    expect(fired).toBe(true);
  });

  it('a wall clock set back does not fire a deadline early', () => {
    const clock = createFakeClock(Date.UTC(2027, 2, 1));
    const deadline = clock.now() + HOUR_MS;
    let firedAt: number | undefined;
    clock.setTimerAt(() => (firedAt = clock.now()), deadline);
    clock.jump(-3 * HOUR_MS);
    clock.advance(HOUR_MS);
    expect(firedAt).toBeUndefined();
    clock.advance(3 * HOUR_MS);
    expect(firedAt).toBe(deadline);
  });

  it('the host’s resume report re-checks at once, without waiting for the next check', () => {
    const clock = createFakeClock();
    const jumps: boolean[] = [];
    let fired = false;
    clock.onJump((jump) => jumps.push(jump.resumed === true));
    clock.setTimerAt(() => (fired = true), clock.now() + HOUR_MS);
    clock.jump(2 * HOUR_MS);
    clock.resumed();
    expect(jumps).toEqual([true]);
    clock.advance(0);
    expect(fired).toBe(true);
  });

  it('no jump is reported while time runs normally', () => {
    const clock = createFakeClock();
    const jumps: unknown[] = [];
    clock.onJump((jump) => jumps.push(jump));
    clock.advance(DAY_MS);
    expect(jumps).toEqual([]);
  });
});

describe('the system clock against Node', () => {
  it('Node fires a raw timeout beyond 2^31−1 ms almost at once: the rule the fake clock copies', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const fired = await new Promise<boolean>((resolve) => {
        const handle = setTimeout(() => resolve(true), MAX_TIMER_DELAY_MS + 1);
        setTimeout(() => {
          clearTimeout(handle);
          resolve(false);
        }, 200);
      });
      expect(fired).toBe(true);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('the system clock’s timer for the same delay does not fire', async () => {
    let fired = false;
    const timer = systemClock.setTimer(() => (fired = true), MAX_TIMER_DELAY_MS + 1);
    const farDeadline = systemClock.setTimerAt(() => (fired = true), Date.now() + 31 * DAY_MS);
    await new Promise((resolve) => setTimeout(resolve, 200));
    timer.cancel();
    farDeadline.cancel();
    expect(fired).toBe(false);
  });

  it('measures durations on a monotonic clock', async () => {
    const started = systemClock.monotonicNow();
    await systemClock.sleep(20);
    expect(systemClock.monotonicNow() - started).toBeGreaterThanOrEqual(19);
  });
});
