/**
 * Two replicas sharing the Kiro accounts on a real Redis (redis-server started here) in front of one emulator:
 * an account added on one is served by both; once Kiro has expired every access token, 40 concurrent requests
 * over both replicas all succeed on exactly one refresh (the cluster refresh lock: the replica that waited finds
 * the rotated token in the shared secrets); nothing in Redis holds a token in clear; and a replica with another
 * secret key refuses to start.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectRedisTeamState,
  createCore,
  type Core,
  type RedisTeamState,
} from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/logging/createLogger.ts';
import { systemClock } from '../../electron/core/ports.ts';
import { createMemorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { parseSecretKey } from '../../electron/core/secrets/secretEnvelope.ts';
import { listen, type RunningServer } from '../../electron/core/server/listen.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { startRedisServer, type RedisServer } from '../support/redisServer.ts';
import { CLIENT_KEY, postJson } from './proxyHarness.ts';

const SECRET_KEY = parseSecretKey(Buffer.alloc(32, 7).toString('base64'), 'the test key');

let redis: RedisServer;
let emulator: KiroEmulator;
const replicas: Array<{ core: Core; server: RunningServer; shared: RedisTeamState }> = [];

async function startReplica(): Promise<(typeof replicas)[number]> {
  const shared = await connectRedisTeamState({
    url: redis.url,
    clock: systemClock,
    logger: silentLogger(),
    secretKey: SECRET_KEY,
  });
  const core = createCore({
    clientKey: CLIENT_KEY,
    adminToken: 'kda-redis-accounts-test',
    logger: silentLogger(),
    version: 'test',
    upstreamUrl: emulator.url,
    settings: createMemorySettingsStore(),
    secrets: createMemorySecretStore(),
    responseCache: { enabled: false },
    sharedTeamState: shared,
    sharedAccounts: shared.accounts,
  });
  await core.start();
  const server = await listen(core.app, { host: '127.0.0.1', port: 0 });
  const replica = { core, server, shared };
  replicas.push(replica);
  return replica;
}

beforeAll(async () => {
  redis = await startRedisServer();
  emulator = await startKiroEmulator({ strict: true });
  await startReplica();
  await startReplica();
});
afterAll(async () => {
  for (const { core, server, shared } of replicas) {
    await server.close(1_000);
    core.dispose();
    await shared.close();
  }
  await emulator?.close();
  await redis?.close();
});

const ask = (replica: number, content: string) =>
  postJson(`${replicas[replica]!.server.url}/v1/messages`, {
    model: 'claude-sonnet-4-5',
    max_tokens: 64,
    messages: [{ role: 'user', content }],
  });

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return performance.now() - started;
}

/** Every key and value in Redis, as text (Kiro Dock writes strings and hashes only). */
async function everythingInRedis(): Promise<string[]> {
  const client = new Redis(redis.url);
  try {
    const seen: string[] = [];
    for (const key of await client.keys('*')) {
      seen.push(key);
      const type = await client.type(key);
      if (type === 'string') seen.push((await client.get(key)) ?? '');
      else if (type === 'hash') seen.push(...Object.entries(await client.hgetall(key)).flat());
      else throw new Error(`Kiro Dock wrote a Redis ${type} (${key}): read it here too.`);
    }
    return seen;
  } finally {
    client.disconnect();
  }
}

describe('replicas sharing Kiro accounts on Redis', () => {
  let accountId = '';

  it('an account added on one replica is served by both', async () => {
    const login = emulator.createSocialAccount();
    const added = await replicas[0]!.core.repository.add(
      { label: 'shared', source: 'manual', authMethod: 'social', region: 'us-east-1', disabled: false },
      {
        accessToken: login.accessToken,
        refreshToken: login.refreshToken,
        expiresAt: Date.parse(login.expiresAt),
      },
    );
    accountId = added.id;
    const took = await until(() => replicas[1]!.core.accounts.pool.get(accountId) !== undefined, 2_000);
    expect(took).toBeLessThan(2_000);
    expect(replicas[1]!.core.repository.get(accountId)?.label).toBe('shared');
    expect((await ask(0, '[[reply:from one]]')).status).toBe(200);
    expect((await ask(1, '[[reply:from two]]')).status).toBe(200);
  });

  it('refreshes the account once for 40 concurrent requests over both replicas after Kiro expired its tokens', async () => {
    emulator.expireAccessTokens();
    const before = emulator.refreshCount;
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => ask(i % 2, `request ${i}`)));
    const tookMs = performance.now() - started;
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 40 }, () => 200));
    const refreshes = emulator.refreshCount - before;
    console.info(
      `40 requests over 2 replicas after expiry: ${refreshes} refresh(es), ${Math.round(tookMs)} ms`,
    );
    expect(refreshes).toBe(1);
    for (const { core } of replicas) expect(core.accounts.pool.get(accountId)?.state.kind).toBe('active');
    expect(emulator.strictRejections()).toEqual([]);
  });

  it('keeps no token in clear anywhere in Redis', async () => {
    const tokens = emulator.issuedTokens();
    expect(tokens.length).toBeGreaterThan(0);
    const stored = await everythingInRedis();
    expect(stored.some((text) => text.includes('refresh-journal') || text.includes('account:'))).toBe(true);
    const leaked = tokens.filter((token) => stored.some((text) => text.includes(token)));
    expect(leaked).toEqual([]);
  });

  it('a replica started with another secret key refuses to start, saying which key to set', async () => {
    const other = connectRedisTeamState({
      url: redis.url,
      clock: systemClock,
      logger: silentLogger(),
      secretKey: parseSecretKey('ab'.repeat(32), 'the other key'),
    });
    await expect(other).rejects.toThrow(/same KIRO_DOCK_SECRET_KEY \(or --secret-key-file\)/);
  });
});
