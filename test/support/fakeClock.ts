import type { Clock } from '../../electron/core/ports.ts';

export type FakeClock = Clock & {
  /** Moves time forward by `ms`, running every timer that falls due on the way, in due order. */
  advance(ms: number): void;
  readonly pendingTimers: number;
};

interface PendingTimer {
  dueAt: number;
  /** Breaks ties between timers due at the same moment: the one scheduled first runs first. */
  sequence: number;
  callback: () => void;
}

/** 2026-01-01T00:00:00Z: a fixed, readable epoch so that dates in messages are predictable. */
export const FAKE_CLOCK_START_MS = Date.UTC(2026, 0, 1);

/**
 * Time that only moves when a test says so. Timers scheduled by callbacks during `advance` run in the same
 * `advance` when they fall due before its end, exactly as they would with real time.
 */
export function createFakeClock(startMs: number = FAKE_CLOCK_START_MS): FakeClock {
  let now = startMs;
  let sequence = 0;
  const pending = new Set<PendingTimer>();

  function nextDue(until: number): PendingTimer | undefined {
    let next: PendingTimer | undefined;
    for (const timer of pending) {
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

  return {
    now: () => now,
    setTimer(callback, delayMs) {
      const timer: PendingTimer = { dueAt: now + Math.max(0, delayMs), sequence: sequence++, callback };
      pending.add(timer);
      return { cancel: () => void pending.delete(timer) };
    },
    advance(ms) {
      if (ms < 0) throw new RangeError('a fake clock only moves forward');
      const target = now + ms;
      for (let timer = nextDue(target); timer; timer = nextDue(target)) {
        pending.delete(timer);
        now = timer.dueAt;
        timer.callback();
      }
      now = target;
    },
    get pendingTimers() {
      return pending.size;
    },
  };
}
