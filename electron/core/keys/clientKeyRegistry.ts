/**
 * The team's client keys (digests and limits, never a key) in a ClientKeyStore — the settings file, or Redis for
 * several replicas — so `kiro-dock keys …` in another process and the admin API change the list a running proxy
 * reads. Lookups go through a map by digest that is rebuilt whenever the list changes, here or elsewhere.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../ports.ts';
import type { ClientKeyStore } from './clientKeyStore.ts';
import {
  identityOf,
  keyDigest,
  keyLimitsProblem,
  keyPreview,
  type ClientKeyRecord,
  type KeyIdentity,
  type KeyLimits,
} from './clientKeyRecord.ts';

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
  create(request: NewClientKey): Promise<CreatedClientKey>;
  /** Marks the key revoked (kept, so the ledger's label still means something); false when unknown. */
  revoke(id: string): Promise<boolean>;
  /** Called after every change, whichever process made it. Returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  dispose(): void;
}

export class ClientKeyInputError extends Error {
  override name = 'ClientKeyInputError';
}

export function createClientKeyRegistry(options: { store: ClientKeyStore; clock: Clock }): ClientKeyRegistry {
  const { store, clock } = options;
  const index = () => new Map(store.records().map((record) => [record.digest, record]));
  let byDigest = index();
  const stopFollowing = store.onChange(() => {
    byDigest = index();
  });
  return {
    list: () => store.records(),
    identify(presentedKey) {
      const record = byDigest.get(keyDigest(presentedKey));
      return record === undefined || record.revokedAt !== undefined ? undefined : identityOf(record);
    },
    async create(request) {
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
      await store.put(record);
      return { record, key };
    },
    async revoke(id) {
      const record = store.records().find((candidate) => candidate.id === id);
      if (!record) return false;
      if (record.revokedAt === undefined) await store.put({ ...record, revokedAt: clock.now() });
      return true;
    },
    onChange: (listener) => store.onChange(listener),
    dispose() {
      stopFollowing();
      store.dispose();
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
