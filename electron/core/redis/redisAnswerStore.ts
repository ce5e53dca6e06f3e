/**
 * The response cache's answers shared by replicas (`serve --redis-url` with the cache on): an identical request
 * answered on one replica is a hit on the others. Each answer is a string living for the cache's time to live;
 * beside them an index (a sorted set by expiry), their sizes and their total keep the whole under the cache's
 * byte and entry caps, evicting the answers that expire first. One script stores and evicts, so replicas storing
 * at once never lose count.
 *
 * The cache's own rules (cache/responseCache.ts) still decide what may be kept and for whom: the scope in every
 * fingerprint keeps an answer within its session and client key on every replica. An unreachable Redis is a miss,
 * never a failed request.
 */
import type { Redis } from 'ioredis';
import type { AnswerLimits, AnswerStore } from '../cache/answerStore.ts';
import type { Clock, Logger } from '../ports.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

const ANSWER_PREFIX = 'kiro-dock:answer:';
const INDEX = 'kiro-dock:answers:index';
const SIZES = 'kiro-dock:answers:sizes';
const TOTAL = 'kiro-dock:answers:bytes';

/** Drops one answer and its bookkeeping; used by the scripts below. */
const DROP = `
local function drop(member)
  redis.call('DEL', ARGV[1] .. member)
  redis.call('ZREM', KEYS[1], member)
  local size = redis.call('HGET', KEYS[2], member)
  if size then
    redis.call('HDEL', KEYS[2], member)
    redis.call('DECRBY', KEYS[3], size)
  end
end
`;

/**
 * KEYS index, sizes, total; ARGV prefix, fingerprint, json, bytes, ttl ms, now, max bytes, max entries.
 * → {entries, bytes, evicted}, or {-1} when the answer alone is over the cap.
 */
const STORE = `${DROP}
local bytes, ttl, now = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local maxBytes, maxEntries = tonumber(ARGV[7]), tonumber(ARGV[8])
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do drop(member) end
drop(ARGV[2])
if bytes > maxBytes or maxEntries < 1 then return {-1} end
redis.call('SET', ARGV[1] .. ARGV[2], ARGV[3], 'PX', ttl)
redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], bytes)
local total = redis.call('INCRBY', KEYS[3], bytes)
local evicted = 0
while total > maxBytes or redis.call('ZCARD', KEYS[1]) > maxEntries do
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  drop(oldest)
  evicted = evicted + 1
  total = tonumber(redis.call('GET', KEYS[3]))
end
return {redis.call('ZCARD', KEYS[1]), total, evicted}
`;

/** KEYS index, sizes, total; ARGV prefix. Drops every answer. */
const CLEAR = `${DROP}
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do drop(member) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return 0
`;

export function createRedisAnswerStore(options: {
  commands: Redis;
  clock: Clock;
  logger: Logger;
  limits: AnswerLimits;
}): AnswerStore {
  const { commands, clock, logger } = options;
  const limits = { ...options.limits };
  const counters = { hits: 0, misses: 0, entries: 0, bytes: 0, evictions: 0 };
  // Said once per outage: every request of the outage would say it again.
  let failing = false;
  const failed = (error: unknown, what: string) => {
    if (!failing)
      logger.warn({ error: errorMessage(error) }, `redis: ${what}; the response cache misses meanwhile`);
    failing = true;
  };
  const bookkeeping = [INDEX, SIZES, TOTAL] as const;
  return {
    async get(key) {
      try {
        const json = await commands.get(ANSWER_PREFIX + key);
        failing = false;
        if (json === null) {
          counters.misses += 1;
          return undefined;
        }
        counters.hits += 1;
        return { json, bytes: Buffer.byteLength(json) };
      } catch (error) {
        failed(error, 'a cached answer was not read');
        counters.misses += 1;
        return undefined;
      }
    },
    async set(key, answer) {
      try {
        const [entries, bytes, evicted] = (await commands.eval(
          STORE,
          bookkeeping.length,
          ...bookkeeping,
          ANSWER_PREFIX,
          key,
          answer.json,
          answer.bytes,
          limits.ttlMs,
          clock.now(),
          limits.maxBytes,
          limits.maxEntries,
        )) as [number, number?, number?];
        failing = false;
        if (entries < 0) return undefined;
        Object.assign(counters, {
          entries,
          bytes: bytes ?? 0,
          evictions: counters.evictions + (evicted ?? 0),
        });
        return { entries, bytes: bytes ?? 0 };
      } catch (error) {
        failed(error, 'an answer was not cached');
        return undefined;
      }
    },
    setLimits(next) {
      // A lower cap takes effect at the next store, which evicts down to it.
      Object.assign(limits, next);
    },
    clear() {
      commands.eval(CLEAR, bookkeeping.length, ...bookkeeping, ANSWER_PREFIX).then(
        () => Object.assign(counters, { entries: 0, bytes: 0 }),
        (error: unknown) => failed(error, 'the cached answers were not cleared'),
      );
    },
    stats: () => ({ ...counters }),
  };
}
