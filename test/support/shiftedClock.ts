import type { Clock } from '../../electron/core/ports.ts';
import { createClock } from '../../electron/core/time/createClock.ts';
import { systemTimeSource } from '../../electron/core/time/systemClock.ts';

export type ShiftedClock = Clock & {
  /** Moves the wall clock by `ms` (negative: back); timers and durations keep real time. */
  shift(ms: number): void;
};

/**
 * Real time and real timers, with a wall clock the test sets: for tests over real sockets (the emulator, real
 * clients) that must run on a fixed date or reach an expiry without waiting. `startAt` pins the wall clock's
 * reading now (epoch ms); by default it starts at the real time.
 */
export function createShiftedClock(startAt?: number): ShiftedClock {
  let offset = startAt === undefined ? 0 : startAt - Date.now();
  const clock = createClock({ ...systemTimeSource, wallNow: () => Date.now() + offset });
  return Object.assign(clock, {
    shift(ms: number) {
      offset += ms;
    },
  });
}
