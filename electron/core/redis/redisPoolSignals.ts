/**
 * The pool signals of replicas sharing accounts (accounts/poolSignals.ts), on Redis. Cooldowns and quota reads
 * are announced on a channel and kept in two hashes, so a replica that starts (or reconnects) late learns the
 * ones still current; a conversation's account is a key per conversation (its name a digest: the conversation
 * key may hold a user id) living an hour past its last turn.
 *
 * Nothing here may fail or slow a request: a publish that cannot reach Redis is dropped (the cooldown still holds
 * on this replica), and a conversation lookup that does not answer within LOOKUP_TIMEOUT_MS falls back on what
 * this replica remembers.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { QuotaSnapshot } from '../accounts/accountModel.ts';
import type { CoolingDownState, PoolSignal, PoolSignals } from '../accounts/poolSignals.ts';
import type { Clock, Logger } from '../ports.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';
import { isJsonObject, parseJsonObject } from '../json/parseJsonObject.ts';

const CHANNEL = 'kiro-dock:pool:signals';
const COOLDOWNS_HASH = 'kiro-dock:pool:cooldowns';
const QUOTAS_HASH = 'kiro-dock:pool:quotas';
const SESSION_PREFIX = 'kiro-dock:session:';
const SESSION_TTL_MS = 3_600_000;
const LOOKUP_TIMEOUT_MS = 100;

export interface RedisPoolSignals extends PoolSignals {
  dispose(): void;
}

export function createRedisPoolSignals(options: {
  commands: Redis;
  subscriber: Redis;
  clock: Clock;
  logger: Logger;
}): RedisPoolSignals {
  const { commands, subscriber, clock, logger } = options;
  // Its own announcements come back on the channel; they are recognised and skipped.
  const replicaId = randomUUID();
  const listeners = new Set<(signal: PoolSignal) => void>();
  let failing = false;
  const said = (error: unknown, what: string) => {
    if (!failing) logger.warn({ error: errorMessage(error) }, `redis: ${what}; retrying with the next one`);
    failing = true;
  };
  const deliver = (signal: PoolSignal) => listeners.forEach((listener) => listener(signal));

  const onMessage = (channel: string, message: string) => {
    if (channel !== CHANNEL) return;
    const parsed = parseAnnouncement(message);
    if (parsed && parsed.from !== replicaId) deliver(parsed.signal);
  };
  subscriber.on('message', onMessage);
  void subscriber.subscribe(CHANNEL).catch((error: unknown) => said(error, 'pool signals not followed'));

  /** The cooldowns still running and the quotas known, for a replica that was not listening when they came. */
  async function readKnown(): Promise<PoolSignal[]> {
    const [cooldowns, quotas] = await Promise.all([
      commands.hgetall(COOLDOWNS_HASH),
      commands.hgetall(QUOTAS_HASH),
    ]);
    const now = clock.now();
    const known: PoolSignal[] = [];
    for (const [accountId, json] of Object.entries(cooldowns)) {
      const state = parseJsonObject(json);
      if (isCooldown(state) && state.until > now) known.push({ type: 'cooldown', accountId, state });
    }
    for (const [accountId, json] of Object.entries(quotas)) {
      const quota = parseJsonObject(json);
      if (isQuota(quota)) known.push({ type: 'quota', accountId, quota });
    }
    return known;
  }
  // After a reconnection, what was announced meanwhile is read back.
  const onReady = () => {
    failing = false;
    void readKnown().then(
      (known) => known.forEach(deliver),
      (error: unknown) => said(error, 'pool signals not read back'),
    );
  };
  subscriber.on('ready', onReady);

  return {
    publish(signal) {
      const field = signal.accountId;
      const transaction = commands.multi();
      if (signal.type === 'cooldown') transaction.hset(COOLDOWNS_HASH, field, JSON.stringify(signal.state));
      else transaction.hset(QUOTAS_HASH, field, JSON.stringify(signal.quota));
      transaction.publish(CHANNEL, JSON.stringify({ from: replicaId, signal }));
      transaction.exec().then(
        () => {
          failing = false;
        },
        (error: unknown) => said(error, 'a cooldown or quota was not shared'),
      );
    },
    onSignal(listener) {
      listeners.add(listener);
      void readKnown().then(
        (known) => known.forEach((signal) => listeners.has(listener) && listener(signal)),
        (error: unknown) => said(error, 'pool signals not read'),
      );
      return () => void listeners.delete(listener);
    },
    async sessionAccount(sessionKey) {
      const lookup = commands.get(sessionName(sessionKey)).catch((error: unknown) => {
        said(error, 'a conversation was not looked up');
        return null;
      });
      return (await withinTimeout(lookup, clock)) ?? undefined;
    },
    rememberSession(sessionKey, accountId) {
      commands
        .set(sessionName(sessionKey), accountId, 'PX', SESSION_TTL_MS)
        .catch((error: unknown) => said(error, "a conversation's account was not shared"));
    },
    dispose() {
      listeners.clear();
      subscriber.off('message', onMessage);
      subscriber.off('ready', onReady);
    },
  };
}

interface Announcement {
  from: string;
  signal: PoolSignal;
}

function sessionName(sessionKey: string): string {
  return SESSION_PREFIX + createHash('sha256').update(sessionKey).digest('base64url');
}

/** The value, or null when Redis has not answered in time: a request does not wait on a slow Redis. */
function withinTimeout(lookup: Promise<string | null>, clock: Clock): Promise<string | null> {
  return new Promise((resolve) => {
    const timer = clock.setTimer(() => resolve(null), LOOKUP_TIMEOUT_MS);
    void lookup.then((value) => {
      timer.cancel();
      resolve(value);
    });
  });
}

/** Another replica's announcement, checked field by field: Redis is shared, and a bad value must not crash. */
function parseAnnouncement(message: string): Announcement | undefined {
  const parsed = parseJsonObject(message);
  if (!isJsonObject(parsed) || typeof parsed.from !== 'string' || !isJsonObject(parsed.signal))
    return undefined;
  const { from, signal } = parsed;
  const { accountId } = signal;
  if (typeof accountId !== 'string') return undefined;
  if (signal.type === 'cooldown' && isCooldown(signal.state))
    return { from, signal: { type: 'cooldown', accountId, state: signal.state } };
  if (signal.type === 'quota' && isQuota(signal.quota))
    return { from, signal: { type: 'quota', accountId, quota: signal.quota } };
  return undefined;
}

/** The fields the pool reads; the rest of a quota is shown as it came. */
function isQuota(value: unknown): value is QuotaSnapshot {
  return (
    isJsonObject(value) &&
    typeof value.fetchedAt === 'number' &&
    typeof value.limit === 'number' &&
    typeof value.used === 'number' &&
    typeof value.remaining === 'number'
  );
}

function isCooldown(value: unknown): value is CoolingDownState {
  return (
    isJsonObject(value) &&
    value.kind === 'cooling_down' &&
    typeof value.until === 'number' &&
    typeof value.reason === 'string'
  );
}
