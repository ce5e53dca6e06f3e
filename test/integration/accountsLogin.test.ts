/**
 * `kiro-dock accounts login --builder-id` as a user runs it, with an empty HOME, against the emulator's AWS
 * sign-in: the code is printed, the approval (or denial, or expiry) happens in the "browser", and a running
 * `serve` on the same data folder serves with the new account without a restart.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../e2e/kiroDockProcess.ts';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { postJson } from './proxyHarness.ts';

let emulator: KiroEmulator;
let root: string;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  emulator = await startKiroEmulator({ strict: true, devicePollIntervalSeconds: 1 });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'accounts-login-'));
});
afterAll(async () => {
  await serve?.stop();
  await emulator.close();
  await fs.rm(root, { recursive: true, force: true });
});

interface LoginRun {
  /** Resolves with the user code once the CLI printed it. */
  userCode: Promise<string>;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
  interrupt(): void;
  output(): string;
  /** A line typed into the command (a pasted address). */
  type(line: string): void;
}

async function emptyHome(name: string): Promise<{ home: string; dataDir: string }> {
  const home = path.join(root, name, 'home');
  const dataDir = path.join(root, name, 'data');
  await fs.mkdir(home, { recursive: true });
  return { home, dataDir };
}

function login(home: string, dataDir: string, ...args: string[]): LoginRun {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'electron/cli.ts',
      'accounts',
      'login',
      ...args,
      '--data-dir',
      dataDir,
      '--secret-store',
      'file',
    ],
    {
      env: { ...process.env, HOME: home, KIRO_DOCK_UPSTREAM_URL: emulator.url },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let gotCode: (code: string) => void = () => {};
  const userCode = new Promise<string>((resolve) => (gotCode = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const code = /shows the code ([A-Z]{4}-[A-Z]{4})/.exec(stdout)?.[1];
    if (code) gotCode(code);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  return {
    userCode,
    exit,
    interrupt: () => child.kill('SIGINT'),
    output: () => stdout,
    type: (line: string) => void child.stdin.write(`${line}\n`),
  };
}

const hello = { model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] };

describe('kiro-dock accounts login --builder-id', () => {
  it('signs in with an empty HOME once the code is approved, and a running serve serves with it', async () => {
    const { home, dataDir } = await emptyHome('approve');
    serve = await startServe({
      args: ['--data-dir', dataDir, '--secret-store', 'file', '--no-ide'],
      env: { HOME: home, KIRO_DOCK_UPSTREAM_URL: emulator.url, KIRO_DOCK_API_KEY: 'kd-login' },
    });
    expect((await postJson(`${serve.url}/v1/messages`, hello, { 'x-api-key': 'kd-login' })).status).toBe(503);

    const run = login(home, dataDir, '--builder-id', '--no-browser');
    const userCode = await run.userCode;
    const started = emulator.deviceAuthorizations().find((entry) => entry.userCode === userCode);
    expect(started).toMatchObject({ startUrl: 'https://view.awsapps.com/start', state: 'pending' });
    // Nothing is added while the user has not answered: the CLI keeps polling.
    await expect
      .poll(() => started && emulator.deviceAuthorizations().find((e) => e.userCode === userCode)!.polls, {
        timeout: 5000,
      })
      .toBeGreaterThanOrEqual(2);
    emulator.decideDeviceAuthorization(userCode, 'approved');

    const { code, stdout } = await run.exit;
    expect(code).toBe(0);
    expect(stdout).toMatch(/Signed in: acc_\w+ \(AWS Builder ID\), profile arn:aws:codewhisperer:us-east-1:/);
    const issued = emulator.deviceAuthorizations().find((entry) => entry.userCode === userCode)!;
    expect(issued.state).toBe('issued');
    // Polling kept the interval the service asked for: never a slow_down.
    expect(issued.slowDowns).toBe(0);

    await expect
      .poll(
        async () => (await postJson(`${serve!.url}/v1/messages`, hello, { 'x-api-key': 'kd-login' })).status,
        { timeout: 10_000 },
      )
      .toBe(200);
    const served = emulator.requests
      .filter((entry) => entry.operation === 'generateAssistantResponse')
      .at(-1);
    expect(served?.accountId).toBe(issued.accountId);
    const settings = await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8');
    for (const token of emulator.issuedTokens()) expect(settings).not.toContain(token);
    await serve.stop();
    serve = undefined;
  }, 60_000);

  it('exits 1 with a clear message when the code is denied, and adds nothing', async () => {
    const { home, dataDir } = await emptyHome('deny');
    const run = login(home, dataDir, '--builder-id', '--no-browser');
    emulator.decideDeviceAuthorization(await run.userCode, 'denied');
    const { code, stderr } = await run.exit;
    expect(code).toBe(1);
    expect(stderr).toMatch(/denied in the browser; no account was added\. Sign in again and choose Allow/);
    // The folder remembers the chosen secret store, and holds no account.
    const settings = JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as object;
    expect(Object.keys(settings)).toEqual(['secretStore']);
  }, 30_000);

  it('exits 1 with a clear message when the code expires before approval', async () => {
    const { home, dataDir } = await emptyHome('expire');
    const run = login(home, dataDir, '--builder-id', '--no-browser');
    emulator.decideDeviceAuthorization(await run.userCode, 'expired');
    const { code, stderr } = await run.exit;
    expect(code).toBe(1);
    expect(stderr).toMatch(/code expired before it was approved; no account was added/);
  }, 30_000);

  it('stops at Ctrl-C with exit status 130 and polls no more', async () => {
    const { home, dataDir } = await emptyHome('cancel');
    const run = login(home, dataDir, '--builder-id', '--no-browser');
    const userCode = await run.userCode;
    run.interrupt();
    const { code, stderr } = await run.exit;
    expect(code).toBe(130);
    expect(stderr).toMatch(/cancelled; no account was added/);
    const polls = emulator.deviceAuthorizations().find((entry) => entry.userCode === userCode)!.polls;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(emulator.deviceAuthorizations().find((entry) => entry.userCode === userCode)!.polls).toBe(polls);
  }, 30_000);

  it('refuses contradicting flags before contacting anyone', async () => {
    const { home, dataDir } = await emptyHome('flags');
    const { code, stderr } = await login(home, dataDir, '--builder-id', '--social', 'google').exit;
    expect(code).toBe(2);
    expect(stderr).toMatch(/--builder-id and --social are two ways to sign in\. Choose one of them\./);
  }, 30_000);
});

describe('kiro-dock accounts login --social', () => {
  it('signs in with GitHub from the pasted redirect address, refusing a foreign one first', async () => {
    const { home, dataDir } = await emptyHome('social');
    const run = login(home, dataDir, '--social', 'github', '--no-browser');
    await expect
      .poll(() => /open (http\S+\/login\?\S+)/.exec(run.output())?.[1], { timeout: 10_000 })
      .toBeDefined();
    const loginUrl = /open (http\S+\/login\?\S+)/.exec(run.output())![1]!;
    expect(new URL(loginUrl).searchParams.get('idp')).toBe('Github');
    const redirected = (await fetch(loginUrl, { redirect: 'manual' })).headers.get('location')!;
    expect(redirected).toMatch(/^kiro:\/\/kiro\.kiroAgent\/authenticate-success\?code=/);

    run.type(redirected.replace(/state=[^&]+/, 'state=not-this-sign-in-at-all'));
    await expect.poll(() => run.output(), { timeout: 10_000 }).toMatch(/does not belong to this sign-in/);
    run.type(redirected);
    const { code, stdout } = await run.exit;
    expect(code).toBe(0);
    expect(stdout).toMatch(/Signed in: acc_\w+ \(GitHub\), profile arn:aws:codewhisperer:/);
    expect(emulator.socialLogins()).toEqual(['Github']);
  }, 30_000);
});

describe('kiro-dock accounts import-many', () => {
  it('imports tokens from standard input, one line per entry, exit 1 when one failed', async () => {
    const { home, dataDir } = await emptyHome('import-many');
    const logins = [emulator.createSocialAccount(), emulator.createSocialAccount()];
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'electron/cli.ts',
        'accounts',
        'import-many',
        '-',
        '--data-dir',
        dataDir,
        '--secret-store',
        'file',
      ],
      {
        env: { ...process.env, HOME: home, KIRO_DOCK_UPSTREAM_URL: emulator.url },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stdin.end(
      [logins[0]!.refreshToken, logins[1]!.refreshToken, logins[0]!.refreshToken, 'aorShort...'].join('\n'),
    );
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^1 \(aor….{4}\): added acc_\w+\.$/);
    expect(lines[1]).toMatch(/^2 \(aor….{4}\): added acc_\w+\.$/);
    expect(lines[2]).toMatch(/^3 \(aor….{4}\): duplicate — Already in the pool as acc_\w+\.$/);
    expect(lines[3]).toMatch(/^4 \(…\): failed — /);
    expect(lines[4]).toBe('2 added, 1 already present, 1 failed.');
    for (const login of logins) expect(stdout).not.toContain(login.refreshToken);
  }, 30_000);
});
