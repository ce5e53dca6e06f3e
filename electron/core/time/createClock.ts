/**
 * A Clock that is correct by construction on top of a raw one-shot timer with Node's rules. Node fires any
 * timer longer than 2^31−1 ms (about 24.8 days) after 1 ms, and its timers run on monotonic time, which stops
 * while a laptop sleeps on Linux and macOS. So every timer here is kept as a deadline and armed in steps below
 * the limit; a step that fires checks the deadline and re-arms until it is reached. A heartbeat compares wall
 * time with the time that should have passed; when the wall clock jumped (sleep and wake, a clock set by hand)
 * it re-checks every wall-clock deadline at once and tells the listeners, who re-check what they own.
 */
import type { Clock, ClockJump, Timer } from './clock.ts';

/** Node's limit: a setTimeout delay above this fires after 1 ms. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
/** The longest single step a timer is armed for; a deadline further away is reached in several steps. */
export const TIMER_STEP_MS = 24 * 60 * 60_000;
/** How often the wall clock is compared with the time that passed. */
export const JUMP_CHECK_INTERVAL_MS = 10_000;
/** A wall clock off by more than this from the elapsed time counts as a jump. */
export const JUMP_THRESHOLD_MS = 10_000;

/** What a Clock is built on: the host's time sources and one-shot timer. */
export interface TimeSource {
  /** Epoch ms of the wall clock. */
  wallNow(): number;
  /** Milliseconds of a monotonic clock (any origin). */
  monotonicNow(): number;
  /** A raw one-shot timer with Node's rules: it must not keep the process alive. */
  arm(callback: () => void, delayMs: number): { cancel(): void };
}

export interface ClockInternals {
  /** Timers set through the clock and not yet fired or cancelled. */
  readonly pendingTimers: number;
}

interface PendingTimer {
  /** Which clock the deadline is on: wall deadlines come from outside (expiries, resets), delays are durations. */
  base: 'wall' | 'monotonic';
  deadline: number;
  callback: () => void;
  step?: { cancel(): void };
}

export function createClock(source: TimeSource): Clock & ClockInternals {
  const pending = new Set<PendingTimer>();
  let wallTimers = 0;
  const jumpListeners = new Set<(jump: ClockJump) => void>();
  let heartbeat: { cancel(): void } | undefined;
  let lastBeat = { wall: 0, monotonic: 0 };

  const nowOn = (base: PendingTimer['base']) => (base === 'wall' ? source.wallNow() : source.monotonicNow());

  function armStep(timer: PendingTimer): void {
    timer.step?.cancel();
    const remaining = timer.deadline - nowOn(timer.base);
    if (remaining <= 0) {
      timer.step = source.arm(() => fire(timer), 0);
      return;
    }
    timer.step = source.arm(() => onStep(timer), Math.min(Math.ceil(remaining), TIMER_STEP_MS));
  }

  function onStep(timer: PendingTimer): void {
    if (!pending.has(timer)) return;
    if (nowOn(timer.base) >= timer.deadline) fire(timer);
    else armStep(timer);
  }

  function forget(timer: PendingTimer): boolean {
    if (!pending.delete(timer)) return false;
    if (timer.base === 'wall') wallTimers -= 1;
    updateHeartbeat();
    return true;
  }

  function fire(timer: PendingTimer): void {
    if (!forget(timer)) return;
    timer.step = undefined;
    timer.callback();
  }

  function add(base: PendingTimer['base'], deadline: number, callback: () => void): Timer {
    if (!Number.isFinite(deadline)) throw new RangeError(`A timer needs a finite deadline, not ${deadline}`);
    const timer: PendingTimer = { base, deadline, callback };
    pending.add(timer);
    if (base === 'wall') wallTimers += 1;
    armStep(timer);
    updateHeartbeat();
    return {
      cancel() {
        if (forget(timer)) timer.step?.cancel();
      },
    };
  }

  function setTimer(callback: () => void, delayMs: number): Timer {
    if (Number.isNaN(delayMs)) throw new RangeError('A timer needs a delay, not NaN');
    return add('monotonic', source.monotonicNow() + Math.max(0, delayMs), callback);
  }

  function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        timer.cancel();
        reject(signal?.reason as Error);
      };
      const timer = setTimer(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The heartbeat runs only while someone depends on the wall clock: a wall timer or a jump listener. */
  function updateHeartbeat(): void {
    const needed = jumpListeners.size > 0 || wallTimers > 0;
    if (needed && !heartbeat) {
      lastBeat = { wall: source.wallNow(), monotonic: source.monotonicNow() };
      heartbeat = source.arm(beat, JUMP_CHECK_INTERVAL_MS);
    } else if (!needed && heartbeat) {
      heartbeat.cancel();
      heartbeat = undefined;
    }
  }

  function beat(): void {
    heartbeat = undefined;
    checkForJump();
    updateHeartbeat();
  }

  /**
   * A jump is wall time that moved differently from monotonic time (the monotonic clock stopped during sleep,
   * or the wall clock was set), or a heartbeat that came far too late (a host whose monotonic clock kept
   * running through sleep).
   */
  function checkForJump(): void {
    const wall = source.wallNow();
    const monotonic = source.monotonicNow();
    const wallElapsed = wall - lastBeat.wall;
    const monotonicElapsed = monotonic - lastBeat.monotonic;
    lastBeat = { wall, monotonic };
    const drift = wallElapsed - monotonicElapsed;
    const late = monotonicElapsed - JUMP_CHECK_INTERVAL_MS;
    if (Math.abs(drift) < JUMP_THRESHOLD_MS && late < JUMP_THRESHOLD_MS) return;
    announceJump({ wallShiftMs: drift, sinceLastCheckMs: wallElapsed });
  }

  function announceJump(jump: ClockJump): void {
    for (const timer of [...pending]) if (timer.base === 'wall') armStep(timer);
    for (const listener of [...jumpListeners]) listener(jump);
  }

  return {
    now: () => source.wallNow(),
    monotonicNow: () => source.monotonicNow(),
    setTimerAt: (callback, deadline) => add('wall', deadline, callback),
    setTimer,
    sleep,
    onJump(listener) {
      jumpListeners.add(listener);
      updateHeartbeat();
      return () => {
        jumpListeners.delete(listener);
        updateHeartbeat();
      };
    },
    resumed() {
      lastBeat = { wall: source.wallNow(), monotonic: source.monotonicNow() };
      announceJump({ wallShiftMs: 0, sinceLastCheckMs: 0, resumed: true });
    },
    get pendingTimers() {
      return pending.size;
    },
  };
}
