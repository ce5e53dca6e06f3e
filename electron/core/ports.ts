/**
 * What the core needs from its host (Electron main, the headless CLI, tests). Only hosts know where files
 * live and which keychain is used; the core receives these ports.
 */

/** The subset of pino's logger the core uses, so tests can pass a silent one. */
export interface Logger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
  child(bindings: Record<string, unknown>): Logger;
  /** pino's level, which can be changed while running (the logLevel setting); absent on loggers without one. */
  level?: string;
}

/** Secrets by name. Implementations: memory, an opt-in 0600 file, the OS keychain, Redis (encrypted, replicas). */
export interface SecretStore {
  readonly kind: 'memory' | 'file' | 'keychain' | 'redis';
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/**
 * One token refresh of an account at a time among everything that shares its secrets. Kiro rotates the refresh
 * token at every refresh, so two refreshes of one account at once leave one of them holding a dead token. The
 * in-process default only serialises this process's refreshes; replicas on Redis share a lock there.
 */
export interface RefreshLock {
  /**
   * Runs `task` while holding the account's lock, after waiting for any other holder; the lock is released once
   * `task` settles, so whatever `task` stored is visible to the next holder.
   */
  withLock<T>(accountId: string, task: () => Promise<T>): Promise<T>;
}

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

/** Real time, for the hosts. No timer keeps the process alive. */
export { systemClock } from './time/systemClock.ts';

/**
 * Non-secret settings and account metadata (conf / electron-store on the hosts, memory in tests). Writes are
 * atomic: a crash never leaves a half-written file.
 */
export interface SettingsStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** Called when another process (e.g. `kiro-dock accounts add`) changed the stored settings. */
  onExternalChange(listener: () => void): () => void;
}
