/**
 * The team's client keys, kept in the settings store (`clientKeys`: digests and limits, never a key), so
 * `kiro-dock keys …` in another process and the admin API change the same list a running proxy reads. Lookups
 * go through a map by digest that is rebuilt whenever the list changes, here or in another process.
 */
import { randomBytes } from 'node:crypto';
import type { Clock, SettingsStore } from '../ports.ts';
import {
  identityOf,
  keyDigest,
  keyLimitsProblem,
  keyPreview,
  type ClientKeyRecord,
  type KeyIdentity,
  type KeyLimits,
} from './clientKeyRecord.ts';

export const CLIENT_KEYS_SETTING = 'clientKeys';

export interface NewClientKey extends KeyLimits {
  label: string;
}

export interface CreatedClientKey {
  record: ClientKeyRecord;
  /** The key itself: shown once, never stored. */
  key: string;
}

export interface ClientKeyRegistry {
  list(): ClientKeyRecord[];
  /** The key's identity when it is known and not revoked. */
  identify(presentedKey: string): KeyIdentity | undefined;
  create(request: NewClientKey): CreatedClientKey;
  /** Marks the key revoked (kept, so the ledger's label still means something); false when unknown. */
  revoke(id: string): boolean;
  /** Called after every change, whichever process made it. Returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  dispose(): void;
}

export class ClientKeyInputError extends Error {
  override name = 'ClientKeyInputError';
}

export function createClientKeyRegistry(options: {
  settings: SettingsStore;
  clock: Clock;
}): ClientKeyRegistry {
  const { settings, clock } = options;
  const listeners = new Set<() => void>();
  let byDigest = new Map<string, ClientKeyRecord>();
  const read = (): ClientKeyRecord[] => {
    const stored = settings.get<unknown>(CLIENT_KEYS_SETTING);
    return Array.isArray(stored) ? stored.filter(isRecord) : [];
  };
  const reindex = () => {
    byDigest = new Map(read().map((record) => [record.digest, record]));
    for (const listener of listeners) listener();
  };
  const write = (records: ClientKeyRecord[]) => {
    settings.set(CLIENT_KEYS_SETTING, records);
    reindex();
  };
  byDigest = new Map(read().map((record) => [record.digest, record]));
  const stopWatching = settings.onExternalChange(reindex);
  return {
    list: read,
    identify(presentedKey) {
      const record = byDigest.get(keyDigest(presentedKey));
      return record === undefined || record.revokedAt !== undefined ? undefined : identityOf(record);
    },
    create(request) {
      const problem = keyLimitsProblem(request);
      if (problem) throw new ClientKeyInputError(problem);
      const key = `kd-${randomBytes(24).toString('base64url')}`;
      const record: ClientKeyRecord = {
        id: `key_${randomBytes(6).toString('hex')}`,
        label: request.label.trim(),
        digest: keyDigest(key),
        preview: keyPreview(key),
        createdAt: clock.now(),
        ...limitsOf(request),
      };
      write([...read(), record]);
      return { record, key };
    },
    revoke(id) {
      const records = read();
      const record = records.find((candidate) => candidate.id === id);
      if (!record) return false;
      if (record.revokedAt === undefined) {
        write(records.map((r) => (r.id === id ? { ...r, revokedAt: clock.now() } : r)));
      }
      return true;
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

/** Only the limits that were given: the stored record has no `undefined` members. */
function limitsOf(request: KeyLimits): KeyLimits {
  const limits: KeyLimits = {};
  if (request.creditLimit !== undefined) {
    limits.creditLimit = request.creditLimit;
    limits.period = request.period ?? 'month';
  }
  const models = request.models?.map((model) => model.trim()).filter((model) => model.length > 0);
  if (models && models.length > 0) limits.models = models;
  if (request.requestsPerMinute !== undefined) limits.requestsPerMinute = request.requestsPerMinute;
  return limits;
}

function isRecord(value: unknown): value is ClientKeyRecord {
  const record = value as Partial<ClientKeyRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.id === 'string' &&
    typeof record.label === 'string' &&
    typeof record.digest === 'string'
  );
}
