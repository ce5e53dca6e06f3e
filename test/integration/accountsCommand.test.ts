/** `kiro-dock accounts …` on the same data folder as a running `kiro-dock serve`, which follows along. */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../e2e/kiroDockProcess.ts';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { postJson } from './proxyHarness.ts';

const run = promisify(execFile);
let emulator: KiroEmulator;
let dataDir: string;
let emptyAuthDir: string;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  emulator = await startKiroEmulator({ strict: true });
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'accounts-cli-'));
  emptyAuthDir = await fs.mkdtemp(path.join(os.tmpdir(), 'accounts-cli-auth-'));
});
afterAll(async () => {
  await serve?.stop();
  await emulator.close();
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.rm(emptyAuthDir, { recursive: true, force: true });
});

const common = ['--data-dir', '', '--secret-store', 'file'];
function cli(...args: string[]) {
  common[1] = dataDir;
  return run(process.execPath, ['--import', 'tsx', 'electron/cli.ts', 'accounts', ...args, ...common], {
    env: { ...process.env, KIRO_DOCK_UPSTREAM_URL: emulator.url },
  });
}

async function startServeHere(): Promise<string> {
  serve = await startServe({
    args: ['--kiro-auth-dir', emptyAuthDir, ...common],
    env: { KIRO_DOCK_UPSTREAM_URL: emulator.url, KIRO_DOCK_API_KEY: 'kd-cli' },
  });
  return serve.url;
}

const hello = { model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] };

describe('kiro-dock accounts', () => {
  it('refuses a truncated refresh token with a clear message', async () => {
    const failure = await cli('add', '--refresh-token', 'aorAbCdEf...').catch(
      (error: { stderr: string }) => error,
    );
    expect((failure as { stderr: string }).stderr).toMatch(/truncated|\.\.\./i);
  });

  it('adds, lists and removes accounts while serve runs, and serve follows without a restart', async () => {
    const url = await startServeHere();
    expect((await postJson(`${url}/v1/messages`, hello, { 'x-api-key': 'kd-cli' })).status).toBe(503);

    const login = emulator.createSocialAccount();
    const added = await cli('add', '--refresh-token', login.refreshToken, '--label', 'work');
    const id = added.stdout.match(/Added (acc_\w+)/)?.[1];
    expect(id).toBeDefined();

    const listed = JSON.parse((await cli('list', '--json')).stdout) as Array<{ id: string; label: string }>;
    expect(listed).toEqual([
      expect.objectContaining({ id, label: 'work', source: 'manual', authMethod: 'social' }),
    ]);
    expect((await cli('list', '--json')).stdout).not.toContain(login.refreshToken);

    await expect
      .poll(async () => (await postJson(`${url}/v1/messages`, hello, { 'x-api-key': 'kd-cli' })).status, {
        timeout: 5_000,
      })
      .toBe(200);
    const served = emulator.requests
      .filter((entry) => entry.operation === 'generateAssistantResponse')
      .at(-1);
    expect(served?.accountId).toBe(login.accountId);

    await cli('remove', id!);
    expect(JSON.parse((await cli('list', '--json')).stdout)).toEqual([]);
    await expect
      .poll(async () => (await postJson(`${url}/v1/messages`, hello, { 'x-api-key': 'kd-cli' })).status, {
        timeout: 5_000,
      })
      .toBe(503);
  }, 40_000);
});
