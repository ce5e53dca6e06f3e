/**
 * Two replicas sharing the team's keys and budgets on a real Redis (redis-server started here): a key created
 * with `kiro-dock keys create --redis-url` works on both, a 3-credit budget and a rate of 3 requests a minute each
 * give 3 answers across them and then 429 on either, a revocation on one is refused by the other within 2 s, and Redis going away gives clear errors
 * and then recovery without restarting anything.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedisTeamState, type RedisTeamState } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/logging/createLogger.ts';
import { systemClock } from '../../electron/core/ports.ts';
import { startRedisServer, type RedisServer } from '../support/redisServer.ts';
import { adminRequest } from './adminHttp.ts';
import { CLIENT_KEY, postJson, startProxyHarness, writeIdeLogin, type ProxyHarness } from './proxyHarness.ts';
import { listeningUrl, serveFromSource } from '../support/serveProcess.ts';

const run = promisify(execFile);
let redis: RedisServer;
const replicas: Array<{ proxy: ProxyHarness; shared: RedisTeamState }> = [];

beforeAll(async () => {
  redis = await startRedisServer();
  for (let i = 0; i < 2; i++) {
    const shared = await connectRedisTeamState({
      url: redis.url,
      clock: systemClock,
      logger: silentLogger(),
    });
    replicas.push({ proxy: await startProxyHarness({ core: { sharedTeamState: shared } }), shared });
  }
});
afterAll(async () => {
  for (const { proxy, shared } of replicas) {
    await proxy.close();
    await shared.close();
  }
  await redis?.close();
});

const ask = (replica: number, key: string, content: string) =>
  postJson(
    `${replicas[replica]!.proxy.url}/v1/messages`,
    { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content }] },
    { 'x-api-key': key },
  );

async function createKeyWithCli(...flags: string[]): Promise<{ id: string; key: string; label: string }> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'electron/cli.ts', 'keys', 'create', '--redis-url', redis.url, '--json', ...flags],
    { env: { ...process.env, KIRO_DOCK_LOG_LEVEL: 'warn' } },
  );
  return JSON.parse(stdout) as { id: string; key: string; label: string };
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return performance.now() - started;
}

describe('replicas on Redis', () => {
  it('share a 3-credit budget: 3 answers across both, then 429 on either', async () => {
    const created = await createKeyWithCli('--label', 'shared', '--credit-limit', '3', '--period', 'month');
    await until(async () => (await ask(1, created.key, 'known? [[credits:0]]')).status === 200, 2_000);
    expect((await ask(0, created.key, 'one [[credits:1]]')).status).toBe(200);
    expect((await ask(1, created.key, 'two [[credits:1]]')).status).toBe(200);
    expect((await ask(0, created.key, 'three [[credits:1]]')).status).toBe(200);
    for (const replica of [0, 1]) {
      const refused = await ask(replica, created.key, 'four [[credits:1]]');
      expect(refused.status).toBe(429);
      expect(refused.json()).toMatchObject({
        error: {
          type: 'rate_limit_error',
          message: expect.stringContaining('budget of 3 credits per month (3 spent)'),
        },
      });
    }
  });

  it('share a rate of 3 requests per minute: 3 answers across both, then 429 on either', async () => {
    const created = await createKeyWithCli('--label', 'paced', '--rate-limit', '3');
    await until(async () => (await ask(1, created.key, 'known?')).status === 200, 2_000);
    expect((await ask(0, created.key, 'two')).status).toBe(200);
    expect((await ask(1, created.key, 'three')).status).toBe(200);
    for (const replica of [0, 1]) {
      const refused = await ask(replica, created.key, 'four');
      expect(refused.status).toBe(429);
      expect(refused.json()).toMatchObject({
        error: {
          type: 'rate_limit_error',
          message: expect.stringContaining('limited to 3 requests per minute; retry in'),
        },
      });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
    }
  });

  it('share the response cache when it is on: one answer, a hit on the other replica, within its session only', async () => {
    for (const { proxy } of replicas) await proxy.core.settings.apply({ responseCache: { enabled: true } });
    try {
      const asked = (replica: number, user: string) =>
        postJson(`${replicas[replica]!.proxy.url}/v1/messages`, {
          model: 'claude-sonnet-4-5',
          max_tokens: 64,
          temperature: 0,
          metadata: { user_id: user },
          messages: [{ role: 'user', content: 'The same question [[reply:An answer worth keeping]]' }],
        });
      const first = await asked(0, 'user_alice');
      expect(first.headers.get('x-kiro-dock-cache')).toBe('miss');
      await until(() => Promise.resolve(replicas[0]!.proxy.core.responseCache.stats().entries > 0), 2_000);

      const upstream = replicas[1]!.proxy.emulator;
      const callsBefore = upstream.requests.length;
      const second = await asked(1, 'user_alice');
      expect(second.headers.get('x-kiro-dock-cache')).toBe('hit');
      expect(second.json()).toMatchObject({ content: [{ type: 'text', text: 'An answer worth keeping' }] });
      expect(upstream.requests.length).toBe(callsBefore);
      // Another conversation asking the same is answered by Kiro, on either replica.
      const other = await asked(1, 'user_bob');
      expect(other.headers.get('x-kiro-dock-cache')).toBe('miss');
      expect(upstream.requests.length).toBe(callsBefore + 1);
    } finally {
      for (const { proxy } of replicas)
        await proxy.core.settings.apply({ responseCache: { enabled: false } });
    }
  });

  it('refuse a key revoked on the other replica within 2 s', async () => {
    const created = await createKeyWithCli('--label', 'leaver');
    await until(async () => (await ask(1, created.key, 'hi')).status === 200, 2_000);
    expect((await ask(0, created.key, 'hi')).status).toBe(200);
    expect((await adminRequest(replicas[0]!.proxy.url, 'DELETE', `/admin/keys/${created.id}`)).status).toBe(
      204,
    );
    const took = await until(async () => (await ask(1, created.key, 'still?')).status === 401, 2_000);
    expect(took).toBeLessThan(2_000);
  });

  it('answers budgeted keys with a clear 503 while Redis is down, counts rates per replica, then recovers by itself', async () => {
    const created = await createKeyWithCli('--label', 'patient', '--credit-limit', '100');
    const paced = await createKeyWithCli('--label', 'paced-through-outage', '--rate-limit', '2');
    await until(async () => (await ask(0, created.key, 'before [[credits:1]]')).status === 200, 2_000);
    await until(async () => (await ask(1, paced.key, 'before')).status === 200, 2_000);
    await redis.stop();
    try {
      const refused = await ask(1, created.key, 'during');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(refused.json()).toMatchObject({
        error: {
          type: 'api_error',
          message: expect.stringContaining('cannot reach Redis to check the budget'),
        },
      });
      // A key without a budget and the default key need nothing from Redis.
      expect((await ask(0, CLIENT_KEY, 'the default key')).status).toBe(200);
      // A rate is counted by each replica meanwhile: replica two has seen one of the key's requests.
      expect((await ask(1, paced.key, 'during')).status).toBe(200);
      expect((await ask(1, paced.key, 'during, over the rate')).status).toBe(429);
    } finally {
      await redis.start();
    }
    await until(async () => (await ask(1, created.key, 'after [[credits:1]]')).status === 200, 15_000);
    // The other replica reconnects on its own schedule.
    const keysOf = () => adminRequest(replicas[0]!.proxy.url, 'GET', '/admin/keys');
    await until(async () => (await keysOf()).status === 200, 15_000);
    const listed = (await keysOf()).json<{
      keys: Array<{ id: string; spent: number }>;
    }>();
    expect(listed.keys.find((key) => key.id === created.id)?.spent).toBe(2);
  });

  it('`kiro-dock serve --redis-url` is a replica like the others, and will not start without its Redis', async () => {
    const created = await createKeyWithCli('--label', 'via-serve', '--credit-limit', '1');
    expect((await ask(0, created.key, 'spend it [[credits:1]]')).status).toBe(200);
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'redis-serve-'));
    const serve = await serveReplica(root);
    const child = serve(redis.url);
    try {
      const url = await listeningUrl(child);
      const refused = await postJson(
        `${url}/v1/messages`,
        { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'over?' }] },
        { 'x-api-key': created.key },
      );
      expect(refused.status, 'the budget spent on another replica').toBe(429);
    } finally {
      child.kill('SIGKILL');
    }
    const unreachable = serve('redis://127.0.0.1:1');
    let stderr = '';
    unreachable.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => unreachable.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('Cannot reach Redis at redis://127.0.0.1:1 (connect ECONNREFUSED');
    await fs.rm(root, { recursive: true, force: true });
  });

  it('keeps answering on one replica while the other is killed with kill -9 mid-burst', async () => {
    const created = await createKeyWithCli('--label', 'burst', '--credit-limit', '1000');
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'redis-kill-'));
    const child = (await serveReplica(root))(redis.url);
    const url = await listeningUrl(child);
    const body = (i: number) => ({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: `burst ${i} [[credits:1]] [[chunks:8]] [[delay:40]]` }],
    });
    const onSurvivor = Array.from({ length: 20 }, (_, i) =>
      postJson(`${replicas[1]!.proxy.url}/v1/messages`, body(i), { 'x-api-key': created.key }),
    );
    const onVictim = Array.from({ length: 10 }, (_, i) =>
      postJson(`${url}/v1/messages`, body(100 + i), { 'x-api-key': created.key }).catch(() => 'lost'),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGKILL');
    const answers = await Promise.all(onSurvivor);
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 20 }, () => 200));
    const victims = await Promise.all(onVictim);
    expect(victims.filter((answer) => answer === 'lost').length, 'killed mid-burst').toBeGreaterThan(0);
    // And the survivor keeps counting the shared budget.
    const after = await adminRequest(replicas[1]!.proxy.url, 'GET', '/admin/keys');
    const spent = after
      .json<{ keys: Array<{ id: string; spent: number }> }>()
      .keys.find((key) => key.id === created.id)?.spent;
    expect(spent).toBeGreaterThanOrEqual(20);
    await fs.rm(root, { recursive: true, force: true });
  });
});

/** A `kiro-dock serve` on its own data folder with a fresh IDE login from replica 0's emulator; call with the Redis URL. */
async function serveReplica(root: string) {
  await writeIdeLogin(root, replicas[0]!.proxy.emulator.createSocialAccount());
  return (redisUrl: string) =>
    serveFromSource(
      path.join(root, 'data'),
      ['--secret-store', 'memory', '--kiro-auth-dir', root, '--redis-url', redisUrl],
      {
        env: {
          ...process.env,
          KIRO_DOCK_UPSTREAM_URL: replicas[0]!.proxy.emulator.url,
          KIRO_DOCK_LOG_LEVEL: 'silent',
        },
      },
    );
}
