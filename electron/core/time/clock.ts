/** The Clock port's types; hosts see them through `ports.ts`. */

/** A cancellable timer. */
export interface Timer {
  cancel(): void;
}

/** A wall-clock jump the clock noticed (sleep and wake, a clock set by hand) or the host reported. */
export interface ClockJump {
  /** How far the wall clock moved beyond the time that passed (negative: it was set back). */
  wallShiftMs: number;
  /** Wall time since the previous check. */
  sinceLastCheckMs: number;
  /** The host reported a resume from sleep (Electron's powerMonitor). */
  resumed?: true;
}

/**
 * Time, injected: everything time-based in the core (refreshes, cooldowns, quota windows, stats windows, sleeps
 * between retries, durations) takes a Clock, so tests drive it with a fake one instead of sleeping. Timers are
 * deadlines, so no delay can overflow Node's 24.8-day limit, and a wall-clock jump re-checks them.
 */
export interface Clock {
  /** Wall-clock epoch ms: for dates, expiries and deadlines that come from outside. It can jump. */
  now(): number;
  /** Monotonic ms from an arbitrary origin: for durations only. */
  monotonicNow(): number;
  /** Calls `callback` once the wall clock has reached `deadline` (epoch ms), however far ahead it is. */
  setTimerAt(callback: () => void, deadline: number): Timer;
  /** Calls `callback` once after `delayMs` of monotonic time (negative counts as 0), however long. */
  setTimer(callback: () => void, delayMs: number): Timer;
  /** Resolves after `ms` of monotonic time; rejects with the signal's reason once it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Hears of each wall-clock jump, after the wall-clock timers were re-checked. Returns the unsubscribe. */
  onJump(listener: (jump: ClockJump) => void): () => void;
  /** The host saw the machine wake from sleep: re-check every deadline and tell the listeners now. */
  resumed(): void;
}
