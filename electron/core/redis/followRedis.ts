/**
 * Keeps a replica's copy of something kept in Redis current: read once now, then again at each announcement on
 * its channel, and every second besides, for an announcement missed while a connection was down. While Redis is
 * unreachable the last copy read stays in use; the next successful read brings any change.
 */
import type { Redis } from 'ioredis';
import { errorMessage } from '../../../shared/errorMessage.ts';
import type { Clock, Logger, Timer } from '../ports.ts';

const POLL_MS = 1_000;

export interface RedisFollower {
  stop(): void;
}

export async function followRedis(options: {
  subscriber: Redis;
  channel: string;
  /** Reads the copy afresh (and tells its listeners when it changed). */
  load: () => Promise<void>;
  /** For the log line of a failed re-read: "keys", "accounts". */
  what: string;
  clock: Clock;
  logger: Logger;
}): Promise<RedisFollower> {
  const { subscriber, channel, load, clock, logger } = options;
  let timer: Timer | undefined;
  const reload = () =>
    load().catch((error: unknown) =>
      logger.debug({ error: errorMessage(error) }, `redis: ${options.what} not re-read`),
    );
  const poll = () => {
    void reload().finally(() => {
      if (timer) timer = clock.setTimer(poll, POLL_MS);
    });
  };
  await load();
  subscriber.on('message', (announced: string) => {
    if (announced === channel) void reload();
  });
  await subscriber.subscribe(channel);
  timer = clock.setTimer(poll, POLL_MS);
  return {
    stop() {
      timer?.cancel();
      timer = undefined;
    },
  };
}
