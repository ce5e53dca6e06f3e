/**
 * The cluster refresh lock on a real Redis, its timers on a fake clock: it is renewed while the refresh runs, a
 * holder whose lock has passed to another never deletes the other's, and a waiting replica takes it as soon
 * as the holder lets go (or its lock expires).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/logging/createLogger.ts';
import {
  createRedisRefreshLock,
  lockKeyOf,
  REFRESH_LOCK_TTL_MS,
} from '../../electron/core/redis/redisRefreshLock.ts';
import { createFakeClock } from '../support/fakeClock.ts';
import { startRedisServer, type RedisServer } from '../support/redisServer.ts';

let redis: RedisServer;
let commands: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  commands = new Redis(redis.url);
});
afterAll(async () => {
  commands?.disconnect();
  await redis?.close();
});

/** Real time, for Redis's answers to arrive; the lock's own timers are on the fake clock. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; !(await check()); i++) {
    if (i > 200) throw new Error('not within 2 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A task that runs until `finish()`. */
function pendingTask() {
  let finish!: () => void;
  const done = new Promise<string>((resolve) => (finish = () => resolve('refreshed')));
  return { task: () => done, finish };
}

describe('redis refresh lock', () => {
  it('is set with a TTL, renewed while held, and gone once released', async () => {
    const clock = createFakeClock();
    const lock = createRedisRefreshLock(commands, clock, silentLogger());
    const { task, finish } = pendingTask();
    const held = lock.withLock('acc_renew', task);
    const key = lockKeyOf('acc_renew');
    await until(async () => (await commands.exists(key)) === 1);
    const ttl = await commands.pttl(key);
    expect(ttl).toBeGreaterThan(REFRESH_LOCK_TTL_MS - 1_000);
    expect(ttl).toBeLessThanOrEqual(REFRESH_LOCK_TTL_MS);
    // As if 9 s had passed in Redis: the renewal due at 5 s brings it back to the full TTL.
    await commands.pexpire(key, 6_000);
    clock.advance(5_000);
    await until(async () => (await commands.pttl(key)) > 10_000);
    finish();
    expect(await held).toBe('refreshed');
    expect(await commands.exists(key)).toBe(0);
  });

  it('never deletes a lock that has passed to another holder', async () => {
    const clock = createFakeClock();
    const lock = createRedisRefreshLock(commands, clock, silentLogger());
    const { task, finish } = pendingTask();
    const held = lock.withLock('acc_passed', task);
    const key = lockKeyOf('acc_passed');
    await until(async () => (await commands.exists(key)) === 1);
    // Ours expired (a long pause) and another replica took it.
    await commands.set(key, 'another-holder', 'PX', REFRESH_LOCK_TTL_MS);
    clock.advance(5_000);
    finish();
    await held;
    expect(await commands.get(key)).toBe('another-holder');
    await commands.del(key);
  });

  it('waits while another replica holds it, and runs once that one lets go', async () => {
    const clock = createFakeClock();
    const lock = createRedisRefreshLock(commands, clock, silentLogger());
    const key = lockKeyOf('acc_wait');
    await commands.set(key, 'another-holder', 'PX', REFRESH_LOCK_TTL_MS);
    let ran = false;
    const waiting = lock.withLock('acc_wait', async () => {
      ran = true;
      return commands.get(key);
    });
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      clock.advance(50);
    }
    expect(ran).toBe(false);
    await commands.del(key);
    for (let i = 0; !ran && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      clock.advance(50);
    }
    const heldBy = await waiting;
    expect(heldBy).toMatch(/^[0-9a-f]{32}$/);
    expect(await commands.exists(key)).toBe(0);
  });

  it('gives up with a clear error when another holder keeps it beyond the wait limit', async () => {
    const clock = createFakeClock();
    const lock = createRedisRefreshLock(commands, clock, silentLogger());
    const key = lockKeyOf('acc_stuck');
    await commands.set(key, 'another-holder');
    let settled = false;
    const waiting = lock.withLock('acc_stuck', async () => 'never').finally(() => (settled = true));
    waiting.catch(() => undefined);
    for (let i = 0; !settled && i < 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      clock.advance(1_000);
    }
    await expect(waiting).rejects.toThrow(
      /Another replica has held the refresh lock of account acc_stuck for over 20 s; the refresh is retried later/,
    );
    await commands.del(key);
  });
});
