/** `kiro-dock serve` as a real process: flags, the ready line, the generated key, draining on SIGINT. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { parseSse, postJson, writeIdeLogin } from './proxyHarness.ts';

let emulator: KiroEmulator;
let authDir: string;
let dataDir: string;

beforeAll(async () => {
  emulator = await startKiroEmulator({ strict: true });
  authDir = await fs.mkdtemp(path.join(os.tmpdir(), 'serve-auth-'));
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'serve-data-'));
  await writeIdeLogin(authDir, emulator.createSocialAccount());
});
afterAll(async () => {
  await emulator.close();
  await fs.rm(authDir, { recursive: true, force: true });
  await fs.rm(dataDir, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  url: string;
  stdout: string[];
  /** Everything written to stderr so far. */
  stderr(): string;
  exit: Promise<number | null>;
}

async function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/cli.ts', 'serve', '--port', '0', ...args],
    {
      env: { ...process.env, KIRO_DOCK_UPSTREAM_URL: emulator.url, KIRO_DOCK_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stdout: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        stdout.push(line);
        const match = line.match(/^Kiro Dock listening on (http:\/\/\S+)$/);
        if (match) resolve(match[1]!);
      }
    });
    void exit.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, url, stdout, stderr: () => stderr, exit };
}

describe('kiro-dock serve', () => {
  it('listens on loopback, prints a generated key once and keeps it in the file store', async () => {
    const first = await serve(['--kiro-auth-dir', authDir, '--data-dir', dataDir, '--secret-store', 'file']);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const keyLine = first.stdout.find((line) => line.startsWith('Client key'));
    const key = keyLine?.split(': ').at(-1) ?? '';
    expect(key).toMatch(/^kd-[\w-]{32}$/);
    const result = await postJson(
      `${first.url}/v1/messages`,
      { model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] },
      { 'x-api-key': key },
    );
    expect(result.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    const stat = await fs.stat(path.join(dataDir, 'secrets.json'));
    expect(stat.mode & 0o777).toBe(0o600);

    const second = await serve(['--kiro-auth-dir', authDir, '--data-dir', dataDir, '--secret-store', 'file']);
    expect(second.stdout.some((line) => line.startsWith('Client key'))).toBe(false);
    const again = await postJson(
      `${second.url}/v1/messages`,
      { model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] },
      { 'x-api-key': key },
    );
    expect(again.status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  }, 30_000);

  it('drains an in-flight stream on SIGINT, then exits 0', async () => {
    const served = await serve(
      ['--kiro-auth-dir', authDir, '--data-dir', dataDir, '--secret-store', 'memory'],
      {
        KIRO_DOCK_API_KEY: 'kd-env-key',
      },
    );
    // Headers arrive with the first streamed text: the answer is in flight when the signal lands.
    const response = await fetch(`${served.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'kd-env-key' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 256,
        stream: true,
        messages: [
          {
            role: 'user',
            content: 'slowly [[chunks:20]] [[delay:40]] [[reply:one two three four five six seven]]',
          },
        ],
      }),
    });
    served.child.kill('SIGINT');
    const events = parseSse(await response.text());
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(await served.exit).toBe(0);
  }, 30_000);

  it('also logs to a rotating file when asked, one JSON line per request', async () => {
    const logFile = path.join(dataDir, 'logs', 'kiro-dock.log');
    const served = await serve(
      ['--kiro-auth-dir', authDir, '--data-dir', dataDir, '--secret-store', 'memory', '--log-file', logFile],
      { KIRO_DOCK_API_KEY: 'kd-log-key', KIRO_DOCK_LOG_LEVEL: 'info' },
    );
    const hello = { model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] };
    expect((await postJson(`${served.url}/v1/messages`, hello, { 'x-api-key': 'kd-log-key' })).status).toBe(
      200,
    );
    served.child.kill('SIGTERM');
    expect(await served.exit).toBe(0);
    const files = await fs.readdir(path.dirname(logFile));
    const text = (
      await Promise.all(files.map((file) => fs.readFile(path.join(path.dirname(logFile), file), 'utf8')))
    ).join('');
    const requestLine = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg?: string; path?: string; status?: number })
      .find((line) => line.msg === 'request');
    expect(requestLine).toMatchObject({ path: '/v1/messages', status: 200 });
    // Readable by the user alone, as its folder.
    for (const file of files) {
      expect((await fs.stat(path.join(path.dirname(logFile), file))).mode & 0o777, file).toBe(0o600);
    }
    expect((await fs.stat(path.dirname(logFile))).mode & 0o777).toBe(0o700);
  }, 30_000);

  it('refuses to listen beyond loopback with a short client key, and says what to do', async () => {
    const args = ['--host', '0.0.0.0', '--data-dir', dataDir, '--secret-store', 'memory', '--no-ide'];
    await expect(serve(args, { KIRO_DOCK_API_KEY: 'kd-env-key' })).rejects.toThrow(
      /exited with 1: kiro-dock: refusing to listen on 0\.0\.0\.0, beyond loopback, with a client key of 10 characters.*KIRO_DOCK_API_KEY to at least 32/s,
    );
  });

  it('beyond loopback with a generated key, warns on stderr even at --log-level error', async () => {
    const served = await serve(
      [
        '--host',
        '0.0.0.0',
        '--data-dir',
        dataDir,
        '--secret-store',
        'memory',
        '--no-ide',
        '--log-level',
        'error',
      ],
      { KIRO_DOCK_API_KEY: '', KIRO_DOCK_LOG_LEVEL: 'error' },
    );
    expect(served.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    // stderr is its own pipe: the warning may arrive after the ready line on stdout.
    for (let attempt = 0; attempt < 100 && !served.stderr().includes('warning'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(served.stderr()).toMatch(/warning: listening on 0\.0\.0\.0, beyond loopback/);
    served.child.kill('SIGTERM');
    expect(await served.exit).toBe(0);
  }, 30_000);

  it('warns on stderr at start when no account can serve, and not when one can', async () => {
    const emptyDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'serve-empty-'));
    const empty = await serve(['--data-dir', emptyDataDir, '--secret-store', 'memory', '--no-ide']);
    // stderr is its own pipe: the warning may arrive after the ready line on stdout.
    for (let attempt = 0; attempt < 100 && !empty.stderr().includes('no Kiro account'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(empty.stderr()).toMatch(
      /^kiro-dock: no Kiro account is configured, so requests are refused \(503\) until there is one: sign in to Kiro IDE .*kiro-dock accounts add/m,
    );
    empty.child.kill('SIGTERM');
    expect(await empty.exit).toBe(0);
    await fs.rm(emptyDataDir, { recursive: true, force: true });

    const withLogin = await serve([
      '--data-dir',
      dataDir,
      '--secret-store',
      'memory',
      '--kiro-auth-dir',
      authDir,
    ]);
    expect(withLogin.stderr()).not.toMatch(/no Kiro account|can serve/);
    withLogin.child.kill('SIGTERM');
    expect(await withLogin.exit).toBe(0);
  }, 30_000);

  it('refuses an unknown secret store with a clear message', async () => {
    await expect(serve(['--data-dir', dataDir, '--secret-store', 'plaintext'])).rejects.toThrow(
      /exited with 2/,
    );
  });
});
