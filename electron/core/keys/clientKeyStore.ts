/**
 * Where the team's key records live: the settings file of one Kiro Dock, or Redis for several replicas. Reads
 * are synchronous from what the store last loaded (every request is authenticated against them); writes go to
 * the store and reach every reader through `onChange`.
 */
import type { SettingsStore } from '../ports.ts';
import type { ClientKeyRecord } from './clientKeyRecord.ts';

export const CLIENT_KEYS_SETTING = 'clientKeys';

export interface ClientKeyStore {
  records(): ClientKeyRecord[];
  /** Adds the record, or replaces the one with its id. */
  put(record: ClientKeyRecord): Promise<void>;
  /** Called after every change, whichever process made it. Returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  dispose(): void;
}

/** The settings file (`clientKeys`): `kiro-dock keys` in another process changes it, a running serve watches it. */
export function settingsClientKeyStore(settings: SettingsStore): ClientKeyStore {
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  const stopWatching = settings.onExternalChange(notify);
  const records = (): ClientKeyRecord[] => {
    const stored = settings.get<unknown>(CLIENT_KEYS_SETTING);
    return Array.isArray(stored) ? stored.filter(isClientKeyRecord) : [];
  };
  return {
    records,
    put(record) {
      const current = records();
      const next = current.some((existing) => existing.id === record.id)
        ? current.map((existing) => (existing.id === record.id ? record : existing))
        : [...current, record];
      settings.set(CLIENT_KEYS_SETTING, next);
      notify();
      return Promise.resolve();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      stopWatching();
      listeners.clear();
    },
  };
}

export function isClientKeyRecord(value: unknown): value is ClientKeyRecord {
  const record = value as Partial<ClientKeyRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.id === 'string' &&
    typeof record.label === 'string' &&
    typeof record.digest === 'string'
  );
}
