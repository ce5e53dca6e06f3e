import type { Clock } from './clock.ts';
import { createClock, type TimeSource } from './createClock.ts';

export const systemTimeSource: TimeSource = {
  wallNow: () => Date.now(),
  monotonicNow: () => performance.now(),
  arm(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** The real clock: Date.now() for the wall, performance.now() for durations, Node's timers underneath. */
export const systemClock: Clock = createClock(systemTimeSource);
