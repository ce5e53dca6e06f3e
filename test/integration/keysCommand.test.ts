/**
 * `kiro-dock keys …` and `kiro-dock usage export` as real processes on the data folder of a running `kiro-dock
 * serve`: a created key works at once and spends its budget, a revoked one is refused within 2 s, and the
 * ledger keeps every answered request through a kill -9 of serve.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { postJson, writeIdeLogin } from './proxyHarness.ts';
import { listeningUrl, serveFromSource } from '../support/serveProcess.ts';

const run = promisify(execFile);
let emulator: KiroEmulator;
let root: string;
let dataDir: string;
let authDir: string;
let serve: { child: ChildProcess; url: string; exited: Promise<unknown> } | undefined;

beforeAll(async () => {
  emulator = await startKiroEmulator({ strict: true });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'keys-cli-'));
  dataDir = path.join(root, 'data');
  authDir = path.join(root, 'auth');
  await fs.mkdir(authDir);
  await writeIdeLogin(authDir, emulator.createSocialAccount());
});
afterAll(async () => {
  serve?.child.kill('SIGKILL');
  await serve?.exited;
  await emulator.close();
  await fs.rm(root, { recursive: true, force: true });
});

const env = () => ({ ...process.env, KIRO_DOCK_UPSTREAM_URL: emulator.url, KIRO_DOCK_LOG_LEVEL: 'warn' });

function cli(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'electron/cli.ts', ...args, '--data-dir', dataDir], {
    env: env(),
  });
}

async function startServe(): Promise<NonNullable<typeof serve>> {
  const child = serveFromSource(dataDir, ['--secret-store', 'file', '--kiro-auth-dir', authDir], {
    env: { ...env(), KIRO_DOCK_API_KEY: 'kd-default-key-of-this-test' },
  });
  child.stdout!.setEncoding('utf8');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await listeningUrl(child);
  return { child, url, exited };
}

const ask = (key: string, content: string) =>
  postJson(
    `${serve!.url}/v1/messages`,
    { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content }] },
    { 'x-api-key': key },
  );

describe('kiro-dock keys and usage', () => {
  it('creates a key shown once, spends its budget, lists it, and refuses it within 2 s of a revoke', async () => {
    serve = await startServe();
    const created = await cli(
      'keys',
      'create',
      '--label',
      'alice',
      '--credit-limit',
      '2',
      '--period',
      'day',
      '--models',
      'claude-sonnet-4-5,claude-haiku-*',
      '--json',
    );
    const body = JSON.parse(created.stdout) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['id', 'key', 'label']);
    expect(body['label']).toBe('alice');
    expect(await readAll(dataDir), 'only a digest is stored').not.toContain(body['key']);

    const key = body['key']!;
    await eventually(async () => (await ask(key, 'hi [[credits:1]]')).status === 200);
    expect((await ask(key, 'again [[credits:1]]')).status).toBe(200);
    const over = await ask(key, 'third [[credits:1]]');
    expect(over.status).toBe(429);
    expect(over.json()).toMatchObject({
      error: { type: 'rate_limit_error', message: expect.stringContaining('resets at') },
    });
    expect((await ask('kd-default-key-of-this-test', 'the default key [[credits:9]]')).status).toBe(200);

    const listed = JSON.parse((await cli('keys', 'list', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(listed).toEqual([
      expect.objectContaining({ id: body['id'], label: 'alice', creditLimit: 2, period: 'day', spent: 2 }),
    ]);
    expect(JSON.stringify(listed)).not.toContain('digest');

    await cli('keys', 'revoke', body['id']!);
    const revokedAt = performance.now();
    await eventually(async () => (await ask(key, 'after revoke')).status === 401);
    expect(performance.now() - revokedAt).toBeLessThan(2_000);
  });

  it('exports the ledger as CSV and JSON, with every answered request kept through kill -9', async () => {
    for (let i = 0; i < 5; i++)
      expect((await ask('kd-default-key-of-this-test', `row ${i} [[credits:2]]`)).status).toBe(200);
    serve!.child.kill('SIGKILL');
    await serve!.exited;
    serve = undefined;
    const json = JSON.parse(
      (await cli('usage', 'export', '--format', 'json', '--since', '1h')).stdout,
    ) as Array<Record<string, unknown>>;
    const byDefault = json.filter((row) => row['keyLabel'] === 'default' && row['credits'] === 2);
    expect(byDefault).toHaveLength(5);
    // After the budget: 429s (while the revocation was on its way); refused keys are not requests of theirs.
    const alice = json.filter((row) => row['keyLabel'] === 'alice').map((row) => row['status']);
    expect(alice.slice(0, 3)).toEqual([200, 200, 429]);
    expect(alice.slice(3).every((status) => status === 429)).toBe(true);
    expect(byDefault[0]).toMatchObject({
      model: 'claude-sonnet-4-5',
      route: '/v1/messages',
      accountId: expect.any(String),
    });
    const csv = (await cli('usage', 'export', '--format', 'csv')).stdout.trimEnd().split('\n');
    expect(csv[0]).toBe(
      'time,key,key_id,route,model,account,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,credits,status,duration_ms',
    );
    expect(csv.filter((line) => line.includes(',default,default,'))).toHaveLength(6);
    const future = await cli('usage', 'export', '--format', 'json', '--since', '2999-01-01');
    expect(JSON.parse(future.stdout)).toEqual([]);
  });

  it('says what is wrong with bad flags', async () => {
    await expect(cli('keys', 'create')).rejects.toMatchObject({
      stderr: expect.stringContaining('needs --label'),
    });
    await expect(cli('keys', 'create', '--label', 'x', '--credit-limit', 'lots')).rejects.toMatchObject({
      stderr: expect.stringContaining('--credit-limit must be a number'),
    });
    await expect(cli('keys', 'revoke', 'key_unknown')).rejects.toMatchObject({
      stderr: expect.stringContaining('No client key'),
    });
    await expect(cli('usage', 'export', '--format', 'xml')).rejects.toMatchObject({
      stderr: expect.stringContaining('--format csv or --format json'),
    });
    await expect(cli('usage', 'export', '--format', 'csv', '--since', 'yesterday')).rejects.toMatchObject({
      stderr: expect.stringContaining('--since must be a date'),
    });
  });
});

async function readAll(dir: string): Promise<string> {
  let text = '';
  for (const name of await fs.readdir(dir)) {
    const file = path.join(dir, name);
    if ((await fs.stat(file)).isFile()) text += await fs.readFile(file, 'latin1');
  }
  return text;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
