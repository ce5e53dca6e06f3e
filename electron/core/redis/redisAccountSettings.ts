/**
 * The Kiro accounts' records and lasting states (needs_relogin, suspended) shared by replicas: the two settings
 * the account repository keeps them under (ACCOUNTS_SETTING, ACCOUNT_STATES_SETTING), stored as one Redis hash
 * each with a field per account, so two replicas changing two accounts at once never undo each other. Reads are
 * served from a copy in memory (the repository reads synchronously); a write updates it at once, goes to Redis in
 * order, and is announced on a channel. Other replicas re-read on the announcement and every second as well, and
 * tell the repository's listeners, which reload the pool.
 *
 * Records hold no secret (tokens are in the secret store, sealed: redisSecretStore.ts).
 */
import type { Redis } from 'ioredis';
import { ACCOUNT_STATES_SETTING, ACCOUNTS_SETTING } from '../accounts/accountRepository.ts';
import type { Clock, Logger, SettingsStore } from '../ports.ts';
import { followRedis } from './followRedis.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';
import { parseJsonObject } from '../json/parseJsonObject.ts';

export const ACCOUNT_SETTING_KEYS = [ACCOUNTS_SETTING, ACCOUNT_STATES_SETTING] as const;
type AccountSettingKey = (typeof ACCOUNT_SETTING_KEYS)[number];

const HASH_OF: Record<AccountSettingKey, string> = {
  [ACCOUNTS_SETTING]: 'kiro-dock:accounts',
  [ACCOUNT_STATES_SETTING]: 'kiro-dock:account-states',
};
export const ACCOUNTS_CHANNEL = 'kiro-dock:accounts:changed';

/** Per setting: account id → the JSON text stored for it. */
type Mirror = Record<AccountSettingKey, Map<string, string>>;

export interface RedisAccountSettings extends SettingsStore {
  /** Resolves once every write made so far has reached Redis (or failed): before the connection closes. */
  settled(): Promise<void>;
  dispose(): void;
}

export async function createRedisAccountSettings(
  commands: Redis,
  subscriber: Redis,
  clock: Clock,
  logger: Logger,
): Promise<RedisAccountSettings> {
  const listeners = new Set<() => void>();
  let mirror: Mirror = { [ACCOUNTS_SETTING]: new Map(), [ACCOUNT_STATES_SETTING]: new Map() };
  let pendingWrites = 0;
  let writing: Promise<void> = Promise.resolve();

  const load = async () => {
    if (pendingWrites > 0) return;
    const read = await commands
      .multi()
      .hgetall(HASH_OF[ACCOUNTS_SETTING])
      .hgetall(HASH_OF[ACCOUNT_STATES_SETTING])
      .exec();
    // A write made while this read was under way is newer than what it read.
    if (pendingWrites > 0 || !read) return;
    const [accounts, states] = read.map(([error, value]) => {
      if (error) throw error;
      return new Map(Object.entries(value as Record<string, string>));
    });
    const next: Mirror = { [ACCOUNTS_SETTING]: accounts!, [ACCOUNT_STATES_SETTING]: states! };
    if (fingerprint(next) === fingerprint(mirror)) return;
    mirror = next;
    for (const listener of [...listeners]) listener();
  };

  function write(key: AccountSettingKey, next: Map<string, string>): void {
    const current = mirror[key];
    const changed = [...next].filter(([id, text]) => current.get(id) !== text);
    const removed = [...current.keys()].filter((id) => !next.has(id));
    mirror = { ...mirror, [key]: next };
    if (changed.length === 0 && removed.length === 0) return;
    const transaction = commands.multi();
    if (changed.length) transaction.hset(HASH_OF[key], Object.fromEntries(changed));
    if (removed.length) transaction.hdel(HASH_OF[key], ...removed);
    transaction.publish(ACCOUNTS_CHANNEL, key);
    pendingWrites += 1;
    writing = writing
      .then(() => transaction.exec())
      .then(
        () => undefined,
        (error: unknown) =>
          logger.error(
            { setting: key, error: errorMessage(error) },
            'redis: account change not stored (Redis unreachable); make it again once Redis is back',
          ),
      )
      .finally(() => {
        pendingWrites -= 1;
      });
  }

  const follower = await followRedis({
    subscriber,
    channel: ACCOUNTS_CHANNEL,
    load,
    what: 'accounts',
    clock,
    logger,
  });

  return {
    get<T>(key: string): T | undefined {
      const entries = mirror[accountSettingKey(key)];
      if (entries.size === 0) return undefined;
      if (key === ACCOUNTS_SETTING) {
        return [...entries.values()]
          .map(parseJsonObject)
          .filter(isRecordWithId)
          .sort(
            (a, b) => Number(a.addedAt) - Number(b.addedAt) || String(a.id).localeCompare(String(b.id)),
          ) as T;
      }
      return Object.fromEntries([...entries].map(([id, text]) => [id, parseJsonObject(text)])) as T;
    },
    set(key, value) {
      const settingKey = accountSettingKey(key);
      if (settingKey === ACCOUNTS_SETTING) {
        const records = (Array.isArray(value) ? value : []).filter(isRecordWithId);
        write(settingKey, new Map(records.map((record) => [String(record.id), JSON.stringify(record)])));
      } else {
        const states = typeof value === 'object' && value !== null ? Object.entries(value) : [];
        write(settingKey, new Map(states.map(([id, state]) => [id, JSON.stringify(state)])));
      }
    },
    delete(key) {
      write(accountSettingKey(key), new Map());
    },
    onExternalChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    settled: () => writing,
    dispose() {
      follower.stop();
      listeners.clear();
    },
  };
}

function accountSettingKey(key: string): AccountSettingKey {
  if ((ACCOUNT_SETTING_KEYS as readonly string[]).includes(key)) return key as AccountSettingKey;
  throw new Error(`The Redis account store keeps only ${ACCOUNT_SETTING_KEYS.join(' and ')}, not ${key}.`);
}

function fingerprint(mirror: Mirror): string {
  return JSON.stringify(
    ACCOUNT_SETTING_KEYS.map((key) => [...mirror[key]].sort(([a], [b]) => a.localeCompare(b))),
  );
}

function isRecordWithId(value: unknown): value is { id: unknown; addedAt?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}
