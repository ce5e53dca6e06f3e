/**
 * Requests per minute per key counted across replicas: one sorted set per key holding the last minute's
 * requests (scored by wall-clock time, the one clock replicas share), trimmed, counted and added to in one
 * script so that two replicas cannot both take the last request of the minute.
 *
 * While Redis is unreachable each replica counts on its own, from the requests it took in the last minute (the
 * limit then holds per replica): a rate limit
 * protects the accounts from bursts and is worth keeping through an outage, unlike a budget, which is refused
 * when it cannot be checked (redisTeamState.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  createRequestRateLimiter,
  RATE_WINDOW_MS,
  type RequestRateLimiter,
} from '../keys/requestRateLimiter.ts';
import type { Clock, Logger } from '../ports.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

/** KEYS[1] the key's window; ARGV now, window, limit, a unique member. → {1, 0} taken, or {0, ms until a slot}. */
const TAKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1])}
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, 0}
`;

export function createRedisRateLimiter(commands: Redis, clock: Clock, logger: Logger): RequestRateLimiter {
  const local = createRequestRateLimiter(clock);
  // Said once per outage: every request of the outage would say it again.
  let failing = false;
  return {
    async take(keyId, perMinute) {
      const now = clock.now();
      try {
        const [taken, waitMs] = (await commands.eval(
          TAKE,
          1,
          `kiro-dock:rate:${keyId}`,
          now,
          RATE_WINDOW_MS,
          perMinute,
          `${now}:${randomUUID()}`,
        )) as [number, number];
        failing = false;
        if (taken !== 1) return { allowed: false, retryAfterMs: Math.max(1, waitMs) };
        // Counted here too, so that an outage starting now counts this replica's last minute in full.
        await local.take(keyId, Number.POSITIVE_INFINITY);
        return { allowed: true };
      } catch (error) {
        if (!failing)
          logger.warn(
            { error: errorMessage(error) },
            'redis: requests per minute are counted per replica until Redis answers again',
          );
        failing = true;
        return local.take(keyId, perMinute);
      }
    },
  };
}
