/**
 * The team's keys and their spending shared by every replica through Redis (`serve --redis-url`). Key records
 * (digests and limits, never a key) are a hash, changes are announced on a channel and re-read every second as
 * well, so a revocation reaches every replica at once, and within a second if an announcement was missed.
 * Spending is one counter per key and period, kept until a day after the period ends; each key's requests of the
 * last minute are one sorted set (redisRateLimiter.ts), and the response cache's answers are shared when the
 * cache is on (redisAnswerStore.ts).
 *
 * With the team's secret key, the Kiro accounts are shared as well (`accounts`): their records and lasting
 * states (redisAccountSettings.ts), their secrets sealed under that key (redisSecretStore.ts), and one refresh of
 * an account at a time across replicas (redisRefreshLock.ts), and the cooldowns, quota reads and conversations of
 * the pool (redisPoolSignals.ts).
 *
 * Commands fail at once while Redis is unreachable (no offline queue): a request whose key has a budget is then
 * refused with a clear 503 instead of waiting; the client reconnects by itself and everything resumes.
 */
import type { Redis } from 'ioredis';
import { periodWindow } from '../keys/budgetPeriod.ts';
import type { BudgetPeriod, ClientKeyRecord } from '../keys/clientKeyRecord.ts';
import { isClientKeyRecord, type ClientKeyStore } from '../keys/clientKeyStore.ts';
import type { KeySpending } from '../keys/keySpending.ts';
import type { Clock, Logger, RefreshLock, SecretStore, SettingsStore } from '../ports.ts';
import { createRedisAccountSettings } from './redisAccountSettings.ts';
import type { AnswerLimits, AnswerStore } from '../cache/answerStore.ts';
import { createRedisAnswerStore } from './redisAnswerStore.ts';
import { createRedisPoolSignals } from './redisPoolSignals.ts';
import { createRedisRateLimiter } from './redisRateLimiter.ts';
import type { RequestRateLimiter } from '../keys/requestRateLimiter.ts';
import { createRedisRefreshLock } from './redisRefreshLock.ts';
import type { PoolSignals } from '../accounts/poolSignals.ts';
import { createRedisSecretStore } from './redisSecretStore.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';
import { parseJsonObject } from '../json/parseJsonObject.ts';
import { followRedis } from './followRedis.ts';

const KEYS_HASH = 'kiro-dock:keys';
const KEYS_CHANNEL = 'kiro-dock:keys:changed';
const DAY_MS = 86_400_000;

/** The Kiro accounts as replicas share them (CoreOptions.sharedAccounts). */
export interface SharedAccounts {
  /** Holds only the accounts' records and lasting states (ACCOUNT_SETTING_KEYS). */
  settings: SettingsStore;
  secrets: SecretStore;
  refreshLock: RefreshLock;
  /** Cooldowns, quota reads and each conversation's account. */
  poolSignals: PoolSignals;
}

export interface RedisTeamState {
  keyStore: ClientKeyStore;
  spending: KeySpending;
  /** Requests per minute per key, counted across the replicas. */
  rateLimiter: RequestRateLimiter;
  /** The response cache's answers, shared by the replicas that turn the cache on. */
  answerStore(limits: AnswerLimits): AnswerStore;
  /** Present when connected with a secret key. */
  accounts?: SharedAccounts;
  close(): Promise<void>;
}

/** Raised for a request that needs Redis while it is unreachable. */
export class SharedStateUnavailableError extends Error {
  override name = 'SharedStateUnavailableError';
}

export async function connectRedisTeamState(options: {
  url: string;
  clock: Clock;
  logger: Logger;
  /** The team's 32-byte secret key (parseSecretKey): share the Kiro accounts too, their secrets sealed with it. */
  secretKey?: Buffer;
}): Promise<RedisTeamState> {
  const { clock, logger } = options;
  // The client library is loaded by the replicas that use it, not by every start.
  const { Redis: RedisClient } = await import('ioredis');
  const connect = (): Redis =>
    new RedisClient(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  const commands = connect();
  const subscriber = connect();
  const connection = watchConnection(commands, logger, redactedUrl(options.url));
  try {
    await commands.connect();
    await subscriber.connect();
  } catch (error) {
    // Retries would keep going in the background; a replica that cannot start says so and stops.
    commands.disconnect();
    subscriber.disconnect();
    const cause = connection.lastError() ?? errorMessage(error);
    throw new Error(
      `Cannot reach Redis at ${redactedUrl(options.url)} (${cause}): start it, or check --redis-url ` +
        '(KIRO_DOCK_REDIS_URL).',
    );
  }
  let keyStore: ClientKeyStore | undefined;
  let accounts: (SharedAccounts & { close(): Promise<void> }) | undefined;
  try {
    keyStore = await redisClientKeyStore(commands, subscriber, clock, logger);
    if (options.secretKey)
      accounts = await sharedAccounts(commands, subscriber, options.secretKey, clock, logger);
  } catch (error) {
    // A secret key that does not open what the other replicas sealed: this replica must not start.
    keyStore?.dispose();
    commands.disconnect();
    subscriber.disconnect();
    throw error;
  }
  return {
    keyStore,
    spending: redisKeySpending(commands, logger),
    rateLimiter: createRedisRateLimiter(commands, clock, logger),
    answerStore: (limits) => createRedisAnswerStore({ commands, clock, logger, limits }),
    ...(accounts && { accounts }),
    async close() {
      keyStore.dispose();
      await accounts?.close();
      commands.disconnect();
      subscriber.disconnect();
      await Promise.resolve();
    },
  };
}

async function redisClientKeyStore(
  commands: Redis,
  subscriber: Redis,
  clock: Clock,
  logger: Logger,
): Promise<ClientKeyStore> {
  const listeners = new Set<() => void>();
  let records: ClientKeyRecord[] = [];
  let fingerprint = '';
  const load = async () => {
    const stored = await commands.hgetall(KEYS_HASH);
    const next = Object.values(stored)
      .map((text): unknown => parseJsonObject(text))
      .filter(isClientKeyRecord)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    const nextFingerprint = JSON.stringify(next);
    if (nextFingerprint === fingerprint) return;
    records = next;
    fingerprint = nextFingerprint;
    listeners.forEach((listener) => listener());
  };
  const follower = await followRedis({
    subscriber,
    channel: KEYS_CHANNEL,
    load,
    what: 'keys',
    clock,
    logger,
  });
  return {
    records: () => records,
    async put(record) {
      await commands.hset(KEYS_HASH, record.id, JSON.stringify(record));
      await commands.publish(KEYS_CHANNEL, record.id);
      await load();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      follower.stop();
      listeners.clear();
    },
  };
}

async function sharedAccounts(
  commands: Redis,
  subscriber: Redis,
  secretKey: Buffer,
  clock: Clock,
  logger: Logger,
): Promise<SharedAccounts & { close(): Promise<void> }> {
  const secrets = await createRedisSecretStore(commands, secretKey);
  const settings = await createRedisAccountSettings(commands, subscriber, clock, logger);
  const poolSignals = createRedisPoolSignals({ commands, subscriber, clock, logger });
  return {
    settings,
    secrets,
    refreshLock: createRedisRefreshLock(commands, clock, logger),
    poolSignals,
    async close() {
      poolSignals.dispose();
      settings.dispose();
      // An account change made just before the replica stops (a state, a removal) still reaches the others.
      await settings.settled();
    },
  };
}

function redisKeySpending(commands: Redis, logger: Logger): KeySpending {
  // Said once per outage: every request of the outage would say it again.
  let failing = false;
  const counter = (keyId: string, period: BudgetPeriod, now: number) => {
    const { start, resetsAt } = periodWindow(period, now);
    return { name: `kiro-dock:spent:${keyId}:${period}:${start}`, expiresAt: resetsAt + DAY_MS };
  };
  return {
    async spent(keyId, period, now) {
      try {
        return Number((await commands.get(counter(keyId, period, now).name)) ?? 0);
      } catch (error) {
        throw new SharedStateUnavailableError(
          `Kiro Dock cannot reach Redis to check the budget of this key (${errorMessage(error)}). It reconnects by ` +
            'itself; retry in a few seconds.',
        );
      }
    },
    add(keyId, credits, at) {
      if (!(credits > 0)) return;
      const transaction = commands.multi();
      for (const period of ['day', 'month'] as const) {
        const { name, expiresAt } = counter(keyId, period, at);
        transaction.incrbyfloat(name, credits).pexpireat(name, expiresAt);
      }
      transaction.exec().then(
        () => {
          failing = false;
        },
        (error: unknown) => {
          const log = failing ? logger.debug.bind(logger) : logger.error.bind(logger);
          log(
            { keyId, credits, error: errorMessage(error) },
            'redis: spending not recorded while it is unreachable',
          );
          failing = true;
        },
      );
    },
  };
}

/** Logs losing and regaining Redis once each, not every reconnection attempt. */
function watchConnection(client: Redis, logger: Logger, where: string): { lastError(): string | undefined } {
  let lost = false;
  let lastError: string | undefined;
  client.on('error', (error: Error) => {
    lastError = error.message;
    if (!lost) logger.error({ redis: where, error: error.message }, 'redis unreachable: reconnecting');
    lost = true;
  });
  client.on('ready', () => {
    if (lost) logger.info({ redis: where }, 'redis reachable again');
    lost = false;
  });
  return { lastError: () => lastError };
}

/** The URL without its password, for logs and messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://…';
  }
}
