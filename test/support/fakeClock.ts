import type { Clock } from '../../electron/core/ports.ts';
import { createClock, MAX_TIMER_DELAY_MS, type TimeSource } from '../../electron/core/time/createClock.ts';

export type FakeClock = Clock & {
  /** Moves wall and monotonic time forward by `ms`, running every timer that falls due on the way, in order. */
  advance(ms: number): void;
  /**
   * Moves the wall clock alone by `ms` (negative: back), as sleep and wake do on Linux and macOS (the monotonic
   * clock stops while the machine sleeps) or a user setting the clock. No timer runs until time next advances.
   */
  jump(ms: number): void;
  /** Timers set through the clock and still pending. */
  readonly pendingTimers: number;
  /** Raw timers armed beyond Node's limit, which Node (and this clock) fires after 1 ms: always a bug. */
  readonly overflowedTimers: number;
  /** A raw timer under Node's rules, as code that bypassed the Clock would arm it (`setTimeout`). */
  armRaw(callback: () => void, delayMs: number): void;
};

interface RawTimer {
  dueAt: number;
  /** Breaks ties between timers due at the same moment: the one armed first runs first. */
  sequence: number;
  callback: () => void;
}

/** 2026-01-01T00:00:00Z: a fixed, readable epoch so that dates in messages are predictable. */
export const FAKE_CLOCK_START_MS = Date.UTC(2026, 0, 1);

/**
 * Time that only moves when a test says so, under the real clock's logic (`createClock`) and Node's timer rules:
 * a raw delay above 2^31−1 ms fires after 1 ms, exactly as `setTimeout` does, so an overflow shows in tests.
 * Timers armed by callbacks during `advance` run in the same `advance` when they fall due before its end.
 */
export function createFakeClock(startMs: number = FAKE_CLOCK_START_MS): FakeClock {
  let wall = startMs;
  let monotonic = 0;
  let sequence = 0;
  let overflowed = 0;
  const raw = new Set<RawTimer>();

  const source: TimeSource = {
    wallNow: () => wall,
    monotonicNow: () => monotonic,
    arm(callback, delayMs) {
      let delay = delayMs;
      if (delay > MAX_TIMER_DELAY_MS) {
        overflowed += 1;
        delay = 1;
      }
      // Node turns a negative or NaN delay into 1 ms.
      if (!(delay >= 0)) delay = 1;
      const timer: RawTimer = { dueAt: monotonic + delay, sequence: sequence++, callback };
      raw.add(timer);
      return { cancel: () => void raw.delete(timer) };
    },
  };
  const clock = createClock(source);

  function nextDue(until: number): RawTimer | undefined {
    let next: RawTimer | undefined;
    for (const timer of raw) {
      if (timer.dueAt > until) continue;
      if (
        !next ||
        timer.dueAt < next.dueAt ||
        (timer.dueAt === next.dueAt && timer.sequence < next.sequence)
      ) {
        next = timer;
      }
    }
    return next;
  }

  return Object.defineProperties(clock, {
    advance: {
      value(ms: number) {
        if (ms < 0) throw new RangeError('a fake clock only moves forward; jump() sets the wall clock back');
        const target = monotonic + ms;
        for (let timer = nextDue(target); timer; timer = nextDue(target)) {
          raw.delete(timer);
          wall += timer.dueAt - monotonic;
          monotonic = timer.dueAt;
          timer.callback();
        }
        wall += target - monotonic;
        monotonic = target;
      },
    },
    jump: {
      value(ms: number) {
        wall += ms;
      },
    },
    overflowedTimers: { get: () => overflowed },
    armRaw: { value: (callback: () => void, delayMs: number) => void source.arm(callback, delayMs) },
  }) as FakeClock;
}
