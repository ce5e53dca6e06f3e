import type { SettingsStore } from '../ports.ts';

export type MemorySettingsStore = SettingsStore & {
  /** Tells the external-change listeners that another process changed the settings (tests only). */
  simulateExternalChange(): void;
};

/**
 * Settings for the life of the process only. Values are copied in and out, as a store backed by a file would,
 * so a caller that mutates what it read (or what it wrote) cannot change the stored value behind the store.
 */
export function createMemorySettingsStore(initial: Record<string, unknown> = {}): MemorySettingsStore {
  const values = new Map<string, unknown>(Object.entries(structuredClone(initial)));
  const externalChangeListeners = new Set<() => void>();
  return {
    get: <T>(key: string) => (values.has(key) ? (structuredClone(values.get(key)) as T) : undefined),
    set(key, value) {
      values.set(key, structuredClone(value));
    },
    delete(key) {
      values.delete(key);
    },
    onExternalChange(listener) {
      externalChangeListeners.add(listener);
      return () => void externalChangeListeners.delete(listener);
    },
    simulateExternalChange() {
      for (const listener of [...externalChangeListeners]) listener();
    },
  };
}
