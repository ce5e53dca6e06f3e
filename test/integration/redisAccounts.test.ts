/**
 * Two replicas sharing the Kiro accounts on a real Redis (redis-server started here) in front of one emulator:
 * an account added on one is served by both; once Kiro has expired every access token, 40 concurrent requests
 * over both replicas all succeed on exactly one refresh (the cluster refresh lock: the replica that waited finds
 * the rotated token in the shared secrets); nothing in Redis holds a token in clear; and a replica with another
 * secret key refuses to start. `kiro-dock serve --redis-url` with KIRO_DOCK_SECRET_KEY joins them.
 */
import type { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
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
import { adminRequest } from './adminHttp.ts';
import { ADMIN_TOKEN, CLIENT_KEY, postJson } from './proxyHarness.ts';
import { listeningUrl, serveFromSource } from '../support/serveProcess.ts';

const SECRET_KEY = parseSecretKey(Buffer.alloc(32, 7).toString('base64'), 'the test key');

const run = promisify(execFile);
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
  for (const replica of [...replicas]) await closeReplica(replica);
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

/** A fresh emulator login added as a manual account on one replica; its emulator id comes with it. */
async function addLogin(replica: number, label: string) {
  const login = emulator.createSocialAccount();
  const record = await replicas[replica]!.core.repository.add(
    { label, source: 'manual', authMethod: 'social', region: 'us-east-1', disabled: false },
    {
      accessToken: login.accessToken,
      refreshToken: login.refreshToken,
      expiresAt: Date.parse(login.expiresAt),
    },
  );
  return { record, login };
}

/**
 * Leaves only these accounts usable on both replicas (the others cool down locally, on each replica itself, so
 * nothing is announced), until the returned function puts every account back and removes these ones.
 */
async function servedOnlyBy(ids: string[]): Promise<() => Promise<void>> {
  await until(() => ids.every((id) => replicas.every(({ core }) => core.accounts.pool.get(id))), 2_000);
  const heldBack = {
    kind: 'cooling_down' as const,
    until: Date.now() + 600_000,
    reason: 'held back by the test',
  };
  for (const { core } of replicas)
    for (const record of core.repository.list())
      if (!ids.includes(record.id)) core.accounts.pool.setState(record.id, heldBack);
  return async () => {
    for (const { core } of replicas)
      for (const record of core.repository.list()) core.accounts.pool.setState(record.id, { kind: 'active' });
    for (const id of ids) await replicas[0]!.core.repository.remove(id);
    await until(() => ids.every((id) => replicas[1]!.core.accounts.pool.get(id) === undefined), 2_000);
  };
}

/** The emulator accounts that answered chat calls since that point in its log, in order. */
function chatAccountsSince(callsBefore: number): Array<string | undefined> {
  return emulator.requests
    .slice(callsBefore)
    .filter((entry) => entry.operation === 'generateAssistantResponse' && entry.status === 200)
    .map((entry) => entry.accountId);
}

function sameState(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function closeReplica(replica: (typeof replicas)[number]): Promise<void> {
  replicas.splice(replicas.indexOf(replica), 1);
  await replica.server.close(1_000);
  replica.core.dispose();
  await replica.shared.close();
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
    accountId = (await addLogin(0, 'shared')).record.id;
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

  it('a lasting state and a removal made on one replica reach the other', async () => {
    const { record: second } = await addLogin(1, 'second');
    await until(() => replicas[0]!.core.accounts.pool.get(second.id) !== undefined, 2_000);
    replicas[1]!.core.repository.persistState(second.id, {
      kind: 'needs_relogin',
      reason: 'signed out in a test',
      howToFix: 'sign in again',
    });
    await until(() => replicas[0]!.core.accounts.pool.get(second.id)?.state.kind === 'needs_relogin', 2_000);
    await replicas[0]!.core.repository.remove(second.id);
    await until(() => replicas[1]!.core.repository.get(second.id) === undefined, 2_000);
    await until(() => replicas[1]!.core.accounts.pool.get(second.id) === undefined, 2_000);
    expect(await replicas[1]!.core.repository.readSecrets(second.id)).toBeUndefined();
    expect(replicas[1]!.core.repository.persistedState(second.id)).toBeUndefined();
    expect(replicas[1]!.core.repository.list().map((record) => record.id)).toEqual([accountId]);
  });

  it('an account parked by a 402 on one replica is skipped by the other until its reset', async () => {
    const { record: broke, login } = await addLogin(0, 'broke');
    await until(() => replicas[1]!.core.accounts.pool.get(broke.id) !== undefined, 2_000);
    emulator.setCredits(login.accountId, 50, 50);
    // Replica one has only the broke account to try: the others cool down there, and only there.
    const pool0 = replicas[0]!.core.accounts.pool;
    const cooling = {
      kind: 'cooling_down' as const,
      until: Date.now() + 60_000,
      reason: 'held back by the test',
    };
    for (const record of replicas[0]!.core.repository.list())
      if (record.id !== broke.id) pool0.setState(record.id, cooling);
    expect((await ask(0, 'out of credits [[reply:never]]')).status).not.toBe(200);
    expect(pool0.get(broke.id)?.state.kind).toBe('exhausted');

    const took = await until(
      () => replicas[1]!.core.accounts.pool.get(broke.id)?.state.kind === 'exhausted',
      2_000,
    );
    expect(took).toBeLessThan(2_000);
    const callsBefore = emulator.requests.length;
    for (let i = 0; i < 4; i++) expect((await ask(1, `on replica two ${i} [[reply:ok]]`)).status).toBe(200);
    const chatAccounts = emulator.requests
      .slice(callsBefore)
      .filter((entry) => entry.operation === 'generateAssistantResponse')
      .map((entry) => entry.accountId);
    expect(chatAccounts).toHaveLength(4);
    expect(chatAccounts).not.toContain(login.accountId);

    for (const record of replicas[0]!.core.repository.list()) pool0.setState(record.id, { kind: 'active' });
    await replicas[0]!.core.repository.remove(broke.id);
    await until(() => replicas[1]!.core.accounts.pool.get(broke.id) === undefined, 2_000);
  });

  it('accounts added on both replicas at the same moment are all kept', async () => {
    const addOn = async (replica: number, label: string) => (await addLogin(replica, label)).record;
    const added = await Promise.all([addOn(0, 'a1'), addOn(1, 'b1'), addOn(0, 'a2'), addOn(1, 'b2')]);
    const ids = added.map((record) => record.id);
    for (const { core } of replicas) {
      await until(() => ids.every((id) => core.repository.get(id) !== undefined), 2_000);
    }
    for (const id of ids) await replicas[1]!.core.repository.remove(id);
    await until(() => replicas[0]!.core.repository.list().length === 1, 2_000);
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

  it('keeps serving on the tokens it holds while Redis is down, and follows changes again once it is back', async () => {
    await redis.stop();
    try {
      for (const replica of [0, 1]) expect((await ask(replica, 'Redis is down')).status).toBe(200);
    } finally {
      await redis.start();
    }
    const login = emulator.createSocialAccount();
    const added = await until(async () => {
      try {
        await replicas[0]!.core.repository.add(
          { label: 'after', source: 'manual', authMethod: 'social', region: 'us-east-1', disabled: false },
          {
            accessToken: login.accessToken,
            refreshToken: login.refreshToken,
            expiresAt: Date.parse(login.expiresAt),
          },
        );
        return true;
      } catch {
        return false;
      }
    }, 15_000);
    expect(added).toBeLessThan(15_000);
    const other = () => replicas[1]!.core.repository.list().find((record) => record.label === 'after');
    await until(() => other() !== undefined, 15_000);
    await replicas[1]!.core.repository.remove(other()!.id);
    await until(() => replicas[0]!.core.repository.list().length === 1, 2_000);
  });

  it('an account Kiro throttles on one replica cools down on the other, which leaves it alone', async () => {
    const { record: throttled } = await addLogin(0, 'throttled');
    const { record: spare, login: spareLogin } = await addLogin(0, 'spare');
    const restore = await servedOnlyBy([throttled.id, spare.id]);
    try {
      emulator.setFault({ kind: '429-retry-30', times: 1 });
      expect((await ask(0, 'throttled once [[reply:ok]]')).status).toBe(200);
      const cooldown = replicas[0]!.core.accounts.pool.get(throttled.id)?.state;
      expect(cooldown?.kind).toBe('cooling_down');

      const took = await until(
        () => sameState(replicas[1]!.core.accounts.pool.get(throttled.id)?.state, cooldown),
        2_000,
      );
      expect(took).toBeLessThan(2_000);
      const callsBefore = emulator.requests.length;
      // Kiro asked for 30 s; the sequential strategy would pick the throttled account first on replica two.
      for (let i = 0; i < 2; i++) expect((await ask(1, `on replica two ${i} [[reply:ok]]`)).status).toBe(200);
      expect(chatAccountsSince(callsBefore)).toEqual([spareLogin.accountId, spareLogin.accountId]);

      // A replica that starts during the cooldown learns it from Redis.
      const late = await startReplica();
      await until(() => sameState(late.core.accounts.pool.get(throttled.id)?.state, cooldown), 2_000);
      await closeReplica(late);
    } finally {
      await restore();
    }
  });

  it('a quota read on one replica is what the other shows', async () => {
    const { record, login } = await addLogin(0, 'quota');
    const restore = await servedOnlyBy([record.id]);
    try {
      emulator.setCredits(login.accountId, 500, 123);
      const read = await replicas[0]!.core.accounts.checkQuota(record.id);
      expect(read?.used).toBe(123);
      await until(() => replicas[1]!.core.accounts.pool.get(record.id)?.quota?.used === 123, 2_000);
      expect(replicas[1]!.core.accounts.pool.get(record.id)?.quota).toEqual(read);
    } finally {
      await restore();
    }
  });

  it('keeps a conversation on its account when the next turn lands on the other replica', async () => {
    const { record: first, login: firstLogin } = await addLogin(0, 'first');
    const { record: second, login: secondLogin } = await addLogin(0, 'second');
    const restore = await servedOnlyBy([first.id, second.id]);
    for (const { core } of replicas) await core.settings.apply({ poolStrategy: 'round-robin' });
    try {
      const conversation = (replica: number, turn: number) =>
        postJson(`${replicas[replica]!.server.url}/v1/messages`, {
          model: 'claude-sonnet-4-5',
          max_tokens: 64,
          metadata: { user_id: 'user_team-member_account__session_shared-conversation' },
          messages: [{ role: 'user', content: `turn ${turn} [[reply:ok]]` }],
        });
      const callsBefore = emulator.requests.length;
      // Round robin on replica one: the first account answers someone else, the conversation gets the second.
      expect((await ask(0, 'someone else [[reply:ok]]')).status).toBe(200);
      for (const [turn, replica] of [0, 1, 0, 1].entries())
        expect((await conversation(replica, turn)).status).toBe(200);
      // Replica two would have given the conversation its own next account, the first.
      expect(chatAccountsSince(callsBefore)).toEqual([
        firstLogin.accountId,
        ...Array<string>(4).fill(secondLogin.accountId),
      ]);
    } finally {
      for (const { core } of replicas) await core.settings.apply({ poolStrategy: 'sequential' });
      await restore();
    }
  });

  it('`kiro-dock accounts add|list|remove --redis-url` works on the shared accounts', async () => {
    const login = emulator.createSocialAccount();
    const env = { KIRO_DOCK_SECRET_KEY: SECRET_KEY.toString('base64') };
    const added = await accountsCli(
      env,
      'add',
      '--refresh-token',
      login.refreshToken,
      '--label',
      'from the cli',
    );
    expect(added.stdout).toMatch(
      /^Added acc_[0-9a-f]{12} \(from the cli\): Kiro accepted it, and it is active\./,
    );
    const id = /Added (acc_[0-9a-f]{12})/.exec(added.stdout)![1]!;
    for (const { core } of replicas) {
      await until(() => core.accounts.pool.get(id)?.state.kind === 'active', 2_000);
    }
    const listed = await accountsCli(env, 'list', '--json');
    // Listed by the time each was added, and every process under a faked clock starts its own: compare as sets.
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((row) => row.id).sort()).toEqual(
      [accountId, id].sort(),
    );
    await accountsCli(env, 'remove', id);
    for (const { core } of replicas) await until(() => core.repository.get(id) === undefined, 2_000);
    const withoutKey = await accountsCli({ KIRO_DOCK_SECRET_KEY: '' }, 'list').catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(withoutKey).toMatchObject({ code: 2 });
    expect((withoutKey as { stderr: string }).stderr.split('\n')[0]).toBe(
      'kiro-dock: The accounts shared on Redis need the team secret key. Set KIRO_DOCK_SECRET_KEY (or ' +
        '--secret-key-file PATH) to the key the replicas use.',
    );
  });

  it('`kiro-dock serve --redis-url` with KIRO_DOCK_SECRET_KEY serves the shared account', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'redis-accounts-serve-'));
    try {
      const child = serve(root, { KIRO_DOCK_SECRET_KEY: SECRET_KEY.toString('hex') });
      try {
        const url = await listeningUrl(child);
        const listed = await adminRequest(url, 'GET', '/admin/accounts');
        expect(
          listed.json<{ accounts: Array<{ id: string }> }>().accounts.map((account) => account.id),
        ).toEqual([accountId]);
        const answer = await postJson(`${url}/v1/messages`, {
          model: 'claude-sonnet-4-5',
          max_tokens: 64,
          messages: [{ role: 'user', content: '[[reply:from serve]]' }],
        });
        expect(answer.status).toBe(200);
      } finally {
        child.kill('SIGKILL');
      }
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it('`kiro-dock serve` refuses a malformed key with exit 2, and another key with a clear error', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'redis-accounts-serve-'));
    try {
      const malformed = await exited(serve(root, { KIRO_DOCK_SECRET_KEY: 'not-32-bytes' }));
      expect(malformed.code).toBe(2);
      expect(malformed.stderr.split('\n')[0]).toBe(
        'kiro-dock: KIRO_DOCK_SECRET_KEY must be 32 bytes written as base64 or as 64 hex digits; make one with ' +
          '`openssl rand -base64 32` and give every replica the same. (The value given is not shown here.)',
      );
      const other = await exited(serve(root, { KIRO_DOCK_SECRET_KEY: 'cd'.repeat(32) }));
      expect(other.code).toBe(1);
      expect(other.stderr).toContain(
        'give every replica the same KIRO_DOCK_SECRET_KEY (or --secret-key-file)',
      );
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});

async function accountsCli(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ stdout: string; stderr: string }> {
  return run(
    process.execPath,
    ['--import', 'tsx', 'electron/cli.ts', 'accounts', ...args, '--redis-url', redis.url],
    {
      env: { ...process.env, KIRO_DOCK_UPSTREAM_URL: emulator.url, KIRO_DOCK_LOG_LEVEL: 'warn', ...env },
    },
  );
}

function serve(root: string, env: Record<string, string>) {
  return serveFromSource(path.join(root, 'data'), ['--secret-store', 'memory', '--redis-url', redis.url], {
    env: {
      ...process.env,
      KIRO_DOCK_UPSTREAM_URL: emulator.url,
      KIRO_DOCK_API_KEY: CLIENT_KEY,
      KIRO_DOCK_ADMIN_TOKEN: ADMIN_TOKEN,
      KIRO_DOCK_LOG_LEVEL: 'silent',
      ...env,
    },
  });
}

async function exited(child: ReturnType<typeof spawn>): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}
