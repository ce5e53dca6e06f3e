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
}

/** Secrets by name. Implementations: memory, an opt-in 0600 file, the OS keychain. */
export interface SecretStore {
  readonly kind: 'memory' | 'file' | 'keychain';
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}
