/**
 * The settings file can be edited by hand while the proxy runs, and an editor saving in place leaves it
 * half-written for a moment (or for good, with a typo). Reading it then throws; the running proxy must neither
 * crash (the change watcher reads from a timer) nor fail requests over it, so reads fall back to the value each
 * setting had when the file was last readable, and writes are refused with a message saying what to fix.
 */
import type { SettingsStore } from '../ports.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export class SettingsUnreadableError extends Error {
  constructor(cause: unknown) {
    super(
      `The settings file cannot be read (${errorMessage(cause)}), so ` +
        'nothing was changed. Fix or remove the file, then try again.',
    );
    this.name = 'SettingsUnreadableError';
  }
}

/** `keys` are read at once, so they have a known value to fall back to should the file break later. */
export function createLastGoodSettingsStore(
  store: SettingsStore,
  options: { keys: readonly string[]; onUnreadable(error: unknown): void },
): SettingsStore {
  const lastGood = new Map<string, unknown>();
  let unreadable = false;

  function get<T>(key: string): T | undefined {
    try {
      const value = store.get<T>(key);
      lastGood.set(key, value);
      unreadable = false;
      return value;
    } catch (error) {
      // Told once per broken spell, not on every request while it lasts.
      if (!unreadable) options.onUnreadable(error);
      unreadable = true;
      return structuredClone(lastGood.get(key)) as T | undefined;
    }
  }

  /** The file store reads the file before it writes, so a write to a broken file fails with nothing written. */
  function write(change: () => void): void {
    try {
      change();
    } catch (error) {
      if (isReadable()) throw error;
      throw new SettingsUnreadableError(error);
    }
  }

  function isReadable(): boolean {
    try {
      store.get(options.keys[0] ?? '');
      return true;
    } catch {
      return false;
    }
  }

  for (const key of options.keys) get(key);
  return {
    get,
    set: (key, value) => write(() => store.set(key, value)),
    delete: (key) => write(() => store.delete(key)),
    onExternalChange: (listener) => store.onExternalChange(listener),
  };
}
