/**
 * What `kiro-dock` says when it is typed wrong, and what `accounts` says about the credentials it is given:
 * the real CLI as a child process, with a HOME that has no keychain, against the Kiro emulator.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';

const run = promisify(execFile);
let emulator: KiroEmulator;
let root: string;

beforeAll(async () => {
  emulator = await startKiroEmulator({ strict: true });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cli-messages-'));
});
afterAll(async () => {
  await emulator.close();
  await fs.rm(root, { recursive: true, force: true });
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let folders = 0;
async function freshDataDir(): Promise<string> {
  const dir = path.join(root, `data-${++folders}`);
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

/** No D-Bus session and an empty HOME: the keychain is unavailable, as on a fresh server. */
async function cli(args: string[], upstreamUrl = emulator.url): Promise<CliResult> {
  const env = {
    PATH: process.env['PATH'],
    HOME: root,
    KIRO_DOCK_UPSTREAM_URL: upstreamUrl,
    KIRO_DOCK_LOG_LEVEL: 'warn',
  };
  return run(process.execPath, ['--import', 'tsx', 'electron/cli.ts', ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

/** One line naming the problem and the fix, a blank line, then the usage; status 2; nothing from Node. */
function expectUsageError(result: CliResult, line: RegExp, usage: RegExp): void {
  expect(result.code).toBe(2);
  const [first, blank, ...rest] = result.stderr.split('\n');
  expect(first).toMatch(/^kiro-dock: /);
  expect(first).toMatch(line);
  expect(blank).toBe('');
  expect(rest.join('\n')).toMatch(usage);
  expect(first).not.toMatch(/unavailable|not available|Secret Service/i);
  expect(result.stderr).not.toMatch(/Secrets are kept in memory|ERR_|positional|at .*\.ts:\d+/);
}

describe('kiro-dock typed wrong: one line with the problem and the fix, then usage, status 2', () => {
  it('an unknown command', async () => {
    const result = await cli(['frobnicate']);
    expectUsageError(
      result,
      /Unknown command "frobnicate"\. Run kiro-dock --help/,
      /^Usage: kiro-dock <command>/,
    );
  });

  it('a typo of a command gets the nearest one', async () => {
    expectUsageError(await cli(['serv']), /Unknown command "serv"\. Did you mean "serve"\?/, /Commands:/);
    const sub = await cli(['accounts', 'lst', '--data-dir', await freshDataDir()]);
    expectUsageError(
      sub,
      /Unknown accounts command "lst"\. Did you mean "list"\?/,
      /^Usage: kiro-dock accounts/,
    );
  });

  it('accounts add without a credential names the missing flag, before any keychain talk', async () => {
    const result = await cli(['accounts', 'add', '--data-dir', await freshDataDir()]);
    expectUsageError(result, /missing --refresh-token \(or --api-key\)\. Add one: /, /add --api-key ksk_/);
  });

  it('a bad value is reported before the keychain is looked at', async () => {
    const result = await cli(['serve', '--port', 'abc', '--data-dir', await freshDataDir()]);
    expectUsageError(
      result,
      /--port must be a whole number from 0 to 65535, not "abc"\. For example/,
      /^Usage: kiro-dock serve/,
    );
    const daemon = await cli(['daemon', '--port', '99999', '--data-dir', await freshDataDir()]);
    expectUsageError(
      daemon,
      /--port must be a whole number from 0 to 65535, not "99999"/,
      /^Usage: kiro-dock daemon/,
    );
    const store = await cli(['serve', '--secret-store', 'vault', '--data-dir', await freshDataDir()]);
    expectUsageError(
      store,
      /--secret-store must be one of auto, keychain, file, memory, not "vault"/,
      /serve/,
    );
  });

  it('an unknown option gets the nearest one, not Node parser text', async () => {
    const result = await cli(['accounts', 'list', '--jsn', '--data-dir', await freshDataDir()]);
    expectUsageError(result, /Unknown option --jsn for accounts\. Did you mean --json\?/, /list \[--json\]/);
    const flagWithoutValue = await cli(['serve', '--port']);
    expectUsageError(flagWithoutValue, /--port needs a value\. Write it as --port VALUE\./, /serve/);
  });

  it('accounts remove without an id says so and where the ids are', async () => {
    const result = await cli(['accounts', 'remove', '--data-dir', await freshDataDir()]);
    expectUsageError(
      result,
      /accounts remove needs the account's id\. kiro-dock accounts list shows the ids/,
      /remove ID/,
    );
  });
});

describe('kiro-dock accounts and the secret store', () => {
  it('lists without any secret store, where no keychain is available', async () => {
    const result = await cli(['accounts', 'list', '--data-dir', await freshDataDir()]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^No accounts\./);
  });

  it('remembers --secret-store file for the data folder', async () => {
    const dataDir = await freshDataDir();
    const login = emulator.createSocialAccount();
    const added = await cli([
      'accounts',
      'add',
      '--refresh-token',
      login.refreshToken,
      '--secret-store',
      'file',
      '--data-dir',
      dataDir,
    ]);
    expect(added.code).toBe(0);
    expect(added.stderr).toMatch(/file secret store is now remembered/);
    const file = path.join(root, `export-${folders}.json`);
    // No --secret-store: without the remembered choice this would refuse (no keychain here).
    const exported = await cli([
      'accounts',
      'export',
      '--with-secrets',
      '--file',
      file,
      '--data-dir',
      dataDir,
    ]);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    const { accounts } = JSON.parse(await fs.readFile(file, 'utf8')) as {
      accounts: Array<{ secrets: { refreshToken: string } }>;
    };
    expect(accounts[0]?.secrets.refreshToken).toBe(emulator.currentRefreshToken(login.accountId));
  });
});

describe('kiro-dock accounts add checks the credential with Kiro', () => {
  it('a refresh token Kiro accepts is active', async () => {
    const dataDir = await freshDataDir();
    const login = emulator.createSocialAccount();
    const refreshes = emulator.refreshCount;
    const added = await cli([
      'accounts',
      'add',
      '--refresh-token',
      login.refreshToken,
      '--secret-store',
      'file',
      '--data-dir',
      dataDir,
    ]);
    expect(added.stdout).toMatch(
      /^Added acc_\w+ \(Manual \(social\)\): Kiro accepted it, and it is active\./,
    );
    expect(emulator.refreshCount).toBe(refreshes + 1);
    const [row] = JSON.parse(
      (await cli(['accounts', 'list', '--json', '--data-dir', dataDir])).stdout,
    ) as Array<{ state: string }>;
    expect(row?.state).toBe('active');
  });

  it('an IdC login Kiro accepts is active', async () => {
    const idc = emulator.createIdcAccount();
    const args = ['--refresh-token', idc.refreshToken, '--auth', 'idc', '--client-id', idc.clientId];
    args.push('--client-secret', idc.clientSecret, '--region', idc.region, '--label', 'builder');
    const added = await cli([
      'accounts',
      'add',
      ...args,
      '--secret-store',
      'file',
      '--data-dir',
      await freshDataDir(),
    ]);
    expect(added).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/\(builder\): Kiro accepted it, and it is active/),
    });
  });

  it('where Kiro cannot be reached, the account is added unchecked, not rejected', async () => {
    const dataDir = await freshDataDir();
    const token = emulator.createSocialAccount().refreshToken;
    const nobody = 'http://127.0.0.1:9'; // the discard port: nothing listens there
    const added = await cli(
      ['accounts', 'add', '--refresh-token', token, '--secret-store', 'file', '--data-dir', dataDir],
      nobody,
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(
      /^Added acc_\w+ \(Manual \(social\)\), not checked yet \(.+\); serve checks it when it starts\./,
    );
    const [row] = JSON.parse(
      (await cli(['accounts', 'list', '--json', '--data-dir', dataDir])).stdout,
    ) as Array<{ state: string }>;
    expect(row?.state).toBe('active');
  });

  it('a made-up refresh token is shown as rejected, with what Kiro said', async () => {
    const dataDir = await freshDataDir();
    const fake = `aor${'A'.repeat(300)}`;
    const added = await cli([
      'accounts',
      'add',
      '--refresh-token',
      fake,
      '--secret-store',
      'file',
      '--data-dir',
      dataDir,
    ]);
    expect(added.code).toBe(1);
    expect(added.stdout).toMatch(
      /^Added acc_\w+ \(Manual \(social\)\), but Kiro rejected it: [^\n]+[.!?] It stays marked as rejected/,
    );
    const listed = await cli(['accounts', 'list', '--data-dir', dataDir]);
    expect(listed.stdout).toMatch(/needs_relogin \(.+\)/);
    expect(listed.stdout).not.toContain(fake);
  });

  it('a ksk_ key Kiro knows is active after one usage read', async () => {
    const dataDir = await freshDataDir();
    const { apiKey } = emulator.createApiKeyAccount();
    const before = emulator.requests.length;
    const added = await cli([
      'accounts',
      'add',
      '--api-key',
      apiKey,
      '--secret-store',
      'file',
      '--data-dir',
      dataDir,
    ]);
    expect(added).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/Kiro accepted it, and it is active/),
    });
    expect(emulator.requests.slice(before).map((request) => request.operation)).toEqual(['getUsageLimits']);
  });

  it('a made-up ksk_ key is shown as rejected after one usage read, with what Kiro said', async () => {
    const dataDir = await freshDataDir();
    const before = emulator.requests.length;
    const added = await cli([
      'accounts',
      'add',
      '--api-key',
      `ksk_${'b'.repeat(60)}`,
      '--secret-store',
      'file',
      '--data-dir',
      dataDir,
    ]);
    expect(added.code).toBe(1);
    expect(added.stdout).toMatch(/Kiro rejected it: .*bearer token included in the request is invalid/i);
    expect(emulator.requests.slice(before).map((request) => request.operation)).toEqual(['getUsageLimits']);
    const [row] = JSON.parse(
      (await cli(['accounts', 'list', '--json', '--data-dir', dataDir])).stdout,
    ) as Array<{ state: string; reason: string }>;
    expect(row).toMatchObject({ state: 'needs_relogin', reason: expect.stringMatching(/bearer token/i) });
  });
});
