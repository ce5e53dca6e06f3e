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

/** Time, injected (`time/clock.ts`): timers are deadlines, and a wall-clock jump re-checks them. */
export type { Clock, ClockJump, Timer } from './time/clock.ts';

/** Real time, for the hosts. No timer keeps the process alive. */
export { systemClock } from './time/systemClock.ts';

/**
 * Non-secret settings and account metadata (a JSON file on the hosts, memory in tests). Writes are
 * atomic: a crash never leaves a half-written file.
 */
export interface SettingsStore {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /** Called when another process (e.g. `kiro-dock accounts add`) changed the stored settings. */
  onExternalChange(listener: () => void): () => void;
}
