/**
 * A rotated refresh token is stored before the new access token is used, so killing the process at that point
 * (SIGKILL: no cleanup at all) loses nothing: after a restart the account still works, and so does the IDE.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { postJson, writeIdeLogin } from './proxyHarness.ts';
import { listeningUrl } from '../support/serveProcess.ts';

let emulator: KiroEmulator;
let authDir: string;
let dataDir: string;

beforeAll(async () => {
  emulator = await startKiroEmulator({ strict: true });
  authDir = await fs.mkdtemp(path.join(os.tmpdir(), 'durable-auth-'));
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'durable-data-'));
});
afterAll(async () => {
  await emulator.close();
  await fs.rm(authDir, { recursive: true, force: true });
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function serve(): Promise<{ child: ChildProcess; url: string }> {
  const args = ['--import', 'tsx', 'electron/cli.ts', 'serve', '--port', '0'];
  args.push('--kiro-auth-dir', authDir, '--data-dir', dataDir, '--secret-store', 'file');
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      KIRO_DOCK_UPSTREAM_URL: emulator.url,
      KIRO_DOCK_API_KEY: 'kd-durable',
      KIRO_DOCK_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await listeningUrl(child);
  return { child, url };
}

const hello = { model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] };

describe('a refresh that rotates the token survives SIGKILL', () => {
  it('restarts with a working account and leaves the IDE signed in', async () => {
    const login = emulator.createSocialAccount({ expired: true });
    await writeIdeLogin(authDir, login);

    const first = await serve();
    const answer = await postJson(`${first.url}/v1/messages`, hello, { 'x-api-key': 'kd-durable' });
    expect(answer.status).toBe(200);
    expect(emulator.refreshCount).toBe(1);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    // The original refresh token is dead now (rotation); only what was persisted can still work.
    const ideFile = JSON.parse(await fs.readFile(path.join(authDir, 'kiro-auth-token.json'), 'utf8'));
    expect(ideFile.refreshToken).not.toBe(login.refreshToken);

    emulator.expireAccessTokens();
    const second = await serve();
    const again = await postJson(`${second.url}/v1/messages`, hello, { 'x-api-key': 'kd-durable' });
    expect(again.status).toBe(200);
    expect(emulator.refreshCount).toBe(2);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  }, 30_000);
});
