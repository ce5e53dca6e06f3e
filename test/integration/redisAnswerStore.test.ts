/**
 * The response cache's answers on a real Redis: two stores (two replicas) see each other's answers, stay
 * together under the byte and entry caps by evicting what expires first, drop expired answers, clear everything,
 * and miss (never throw) while Redis is away. Expiry dates come from a fake clock; Redis's own expiry of the
 * strings is real time and far beyond these tests.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerLimits } from '../../electron/core/cache/answerStore.ts';
import { silentLogger } from '../../electron/core/logging/createLogger.ts';
import { createRedisAnswerStore } from '../../electron/core/redis/redisAnswerStore.ts';
import { createFakeClock } from '../support/fakeClock.ts';
import { startRedisServer, type RedisServer } from '../support/redisServer.ts';

let redis: RedisServer;
let commands: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  commands = new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  await commands.connect();
});
afterAll(async () => {
  commands?.disconnect();
  await redis?.close();
});
beforeEach(async () => {
  await commands.flushall();
});

const LIMITS: AnswerLimits = { maxEntries: 3, maxBytes: 100, ttlMs: 60_000 };

function twoReplicas(limits: AnswerLimits = LIMITS) {
  const clock = createFakeClock();
  const store = () => createRedisAnswerStore({ commands, clock, logger: silentLogger(), limits });
  return { clock, one: store(), two: store() };
}

const answer = (text: string) => ({
  json: JSON.stringify(text),
  bytes: Buffer.byteLength(JSON.stringify(text)),
});

describe('redis answer store', () => {
  it("reads another replica's answer, and counts its own hits and misses", async () => {
    const { one, two } = twoReplicas();
    expect(await one.set('k1', answer('hello'))).toEqual({ entries: 1, bytes: 7 });
    expect(await two.get('k1')).toEqual(answer('hello'));
    expect(await two.get('k2')).toBeUndefined();
    expect(two.stats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('keeps the replicas together under the entry and byte caps, evicting what expires first', async () => {
    const { clock, one, two } = twoReplicas();
    await one.set('a', answer('a'.repeat(20)));
    clock.advance(1);
    await two.set('b', answer('b'.repeat(20)));
    clock.advance(1);
    await one.set('c', answer('c'.repeat(20)));
    clock.advance(1);
    expect(await two.set('d', answer('d'.repeat(20)))).toEqual({ entries: 3, bytes: 66 });
    expect(await one.get('a')).toBeUndefined();
    expect(two.stats().evictions).toBe(1);
    // 66 + 60 is over 100 bytes, and so is 44 + 60: the two oldest go.
    expect(await one.set('e', answer('e'.repeat(58)))).toEqual({ entries: 2, bytes: 82 });
    expect(await two.get('b')).toBeUndefined();
    expect(await two.get('c')).toBeUndefined();
    expect(await two.get('d')).toBeDefined();
    expect(await commands.hlen('kiro-dock:answers:sizes')).toBe(2);
  });

  it('refuses an answer alone over the byte cap, and replaces an answer stored twice', async () => {
    const { one } = twoReplicas();
    expect(await one.set('big', answer('x'.repeat(200)))).toBeUndefined();
    await one.set('k', answer('first'));
    expect(await one.set('k', answer('second one'))).toEqual({ entries: 1, bytes: 12 });
    expect(await one.get('k')).toEqual(answer('second one'));
  });

  it('drops answers whose time to live has passed when the next one is stored', async () => {
    const { clock, one, two } = twoReplicas();
    await one.set('old', answer('old'));
    clock.advance(LIMITS.ttlMs + 1);
    expect(await two.set('new', answer('new'))).toEqual({ entries: 1, bytes: 5 });
    expect(await commands.exists('kiro-dock:answer:old')).toBe(0);
  });

  it('clears every answer and its bookkeeping', async () => {
    const { one, two } = twoReplicas();
    await one.set('a', answer('a'));
    await two.set('b', answer('b'));
    one.clear();
    await expect.poll(async () => (await commands.keys('kiro-dock:answer*')).length).toBe(0);
  });

  it('misses while Redis is away, and stores again once it is back', async () => {
    const { one } = twoReplicas();
    await one.set('k', answer('kept'));
    await redis.stop();
    try {
      expect(await one.get('k')).toBeUndefined();
      expect(await one.set('k2', answer('lost'))).toBeUndefined();
    } finally {
      await redis.start();
    }
    await expect.poll(async () => one.set('k3', answer('back')), { timeout: 10_000 }).toBeDefined();
  });
});
