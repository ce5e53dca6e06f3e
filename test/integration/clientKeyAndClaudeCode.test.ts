/**
 * The client key (reveal, regenerate) and the Claude Code setup (`~/.claude/settings.json`) through the admin
 * API of a real Kiro Dock: what clients are then accepted with, what lands in the secret store, and what the
 * settings file holds on disk afterwards.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ClaudeCodeSetupView,
  ClaudeCodeWriteResponse,
  ClientKeyResponse,
} from '../../shared/adminApi.ts';
import { silentLogger } from '../../electron/core/logging/createLogger.ts';
import type { SecretStore } from '../../electron/core/ports.ts';
import { createMemorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { bindProxy, createHostCore, unbindProxy } from '../../electron/hostCore.ts';
import { AdminEventStream, adminRequest, adminTestScope } from './adminHttp.ts';
import { CLIENT_KEY, startProxyHarness, type HarnessOptions } from './proxyHarness.ts';

const scope = adminTestScope();
let home: string;
beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-home-'));
});
afterEach(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

function modelsWith(key: string): Promise<number> {
  return modelsStatus(scope.proxy!.url, key);
}

async function modelsStatus(baseUrl: string, key: string): Promise<number> {
  const response = await fetch(`${baseUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
  await response.arrayBuffer();
  return response.status;
}

async function admin<T>(method: string, route: string, expectedStatus = 200): Promise<T> {
  const answer = await adminRequest(scope.proxy!.url, method, route);
  expect(answer.status, answer.text).toBe(expectedStatus);
  return answer.json<T>();
}

describe('client key', () => {
  it('is revealed in full, never cached', async () => {
    scope.proxy = await startProxyHarness();
    const answer = await adminRequest(scope.proxy.url, 'POST', '/admin/client-key/reveal');
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ key: CLIENT_KEY });
    expect(answer.headers['cache-control']).toBe('no-store');
    expect((await adminRequest(scope.proxy.url, 'GET', '/admin/client-key/reveal')).status).toBe(404);
    expect(
      (await adminRequest(scope.proxy.url, 'POST', '/admin/client-key/reveal', { token: null })).status,
    ).toBe(401);
  });

  it('regenerated: the old key is refused at once, the new one works and is stored for the next start', async () => {
    const secrets = createMemorySecretStore();
    scope.proxy = await startProxyHarness({ secrets });
    scope.events = await AdminEventStream.open(scope.proxy.url);
    expect(await modelsWith(CLIENT_KEY)).toBe(200);

    const { key } = await admin<ClientKeyResponse>('POST', '/admin/client-key/regenerate');
    expect(key).toMatch(/^kd-[\w-]{32}$/);
    expect(await modelsWith(CLIENT_KEY)).toBe(401);
    expect(await modelsWith(key)).toBe(200);
    expect(await admin<ClientKeyResponse>('POST', '/admin/client-key/reveal')).toEqual({ key });
    const preview = `kd-…${key.slice(-4)}`;
    expect((await scope.events.next('settings')).settings.clientKeyPreview).toBe(preview);
    expect((await admin<{ clientKeyPreview: string }>('GET', '/admin/settings')).clientKeyPreview).toBe(
      preview,
    );

    // A restart through the hosts' own wiring takes the stored key, as the environment sets none.
    await scope.proxy.close();
    scope.proxy = undefined;
    await expect(restartedHostAccepts(secrets, {}, key)).resolves.toEqual({
      origin: 'store',
      old: 401,
      new: 200,
    });
  });

  it('from the environment cannot be regenerated, and keeps working', async () => {
    const secrets = createMemorySecretStore();
    const host = await startHost(secrets, { KIRO_DOCK_API_KEY: 'kd-from-the-environment-1234' });
    try {
      expect(host.clientKey.origin).toBe('environment');
      const answer = await adminRequest(host.url, 'POST', '/admin/client-key/regenerate', {
        token: host.adminToken,
      });
      expect(answer.status).toBe(409);
      expect(answer.json<{ error: { message: string } }>().error.message).toMatch(
        /KIRO_DOCK_API_KEY environment variable.*restart/,
      );
      expect(await modelsStatus(host.url, 'kd-from-the-environment-1234')).not.toBe(401);
      expect(await secrets.get('client-key')).toBeUndefined();
    } finally {
      await host.close();
    }
  });
});

/** Kiro Dock as `kiro-dock serve` assembles it (createHostCore), with no account, on a free port. */
async function startHost(secrets: SecretStore, env: NodeJS.ProcessEnv) {
  const host = await createHostCore({
    settings: createMemorySettingsStore(),
    secrets,
    logger: silentLogger(),
    version: 'test',
    kiroAuthDir: undefined,
    dashboardDir: undefined,
    env: { KIRO_DOCK_ADMIN_TOKEN: 'kda-host-admin-token', ...env },
  });
  await host.core.start();
  const bound = await bindProxy(host.core, { host: '127.0.0.1', port: 0 });
  return {
    ...host,
    url: bound.running.url,
    async close() {
      await unbindProxy(host.core, bound, 1_000);
      host.core.dispose();
    },
  };
}

async function restartedHostAccepts(secrets: SecretStore, env: NodeJS.ProcessEnv, key: string) {
  const host = await startHost(secrets, env);
  try {
    return {
      origin: host.clientKey.origin,
      old: await modelsStatus(host.url, CLIENT_KEY),
      new: await modelsStatus(host.url, key),
    };
  } finally {
    await host.close();
  }
}

describe('Claude Code setup', () => {
  const settingsPath = () => path.join(home, '.claude', 'settings.json');
  const start = (options: HarnessOptions = {}) =>
    startProxyHarness({ ...options, core: { claudeSettingsPath: settingsPath(), ...options.core } });
  const readSettings = async () => JSON.parse(await fs.readFile(settingsPath(), 'utf8')) as unknown;

  it('shows the env lines and snippet for this proxy, and that nothing is configured yet', async () => {
    scope.proxy = await start();
    const view = await admin<ClaudeCodeSetupView>('GET', '/admin/claude-code');
    expect(view).toEqual({
      baseUrl: scope.proxy.url,
      envLines: [`export ANTHROPIC_BASE_URL=${scope.proxy.url}`, `export ANTHROPIC_AUTH_TOKEN=${CLIENT_KEY}`],
      settingsSnippet: expect.any(String),
      settingsPath: settingsPath(),
      settingsFileExists: false,
      configured: false,
    });
    expect(JSON.parse(view.settingsSnippet)).toEqual({
      env: { ANTHROPIC_BASE_URL: scope.proxy.url, ANTHROPIC_AUTH_TOKEN: CLIENT_KEY },
    });
  });

  it('creates a missing file (owner-only) and is configured afterwards', async () => {
    scope.proxy = await start();
    const written = await admin<ClaudeCodeWriteResponse>('POST', '/admin/claude-code/settings');
    expect(written).toEqual({ settingsPath: settingsPath() });
    expect(await readSettings()).toEqual({
      env: { ANTHROPIC_BASE_URL: scope.proxy.url, ANTHROPIC_AUTH_TOKEN: CLIENT_KEY },
    });
    expect((await fs.stat(settingsPath())).mode & 0o777).toBe(0o600);
    const view = await admin<ClaudeCodeSetupView>('GET', '/admin/claude-code');
    expect(view).toMatchObject({ settingsFileExists: true, configured: true });

    // A new client key makes the written file stale, and the view says so rather than "not set up".
    await admin('POST', '/admin/client-key/regenerate');
    const stale = await admin<ClaudeCodeSetupView>('GET', '/admin/claude-code');
    expect(stale).toMatchObject({ configured: false, staleKey: true });
    expect(stale.replaces).toEqual([
      {
        name: 'ANTHROPIC_AUTH_TOKEN',
        current: `${CLIENT_KEY.slice(0, 6)}…${CLIENT_KEY.slice(-4)}`,
        change: 'replaced',
      },
    ]);
    expect(JSON.stringify(stale.replaces)).not.toContain(CLIENT_KEY);
    await admin('POST', '/admin/claude-code/settings');
    expect(await admin<ClaudeCodeSetupView>('GET', '/admin/claude-code')).toMatchObject({ configured: true });
    expect((await admin<ClaudeCodeSetupView>('GET', '/admin/claude-code')).staleKey).toBeUndefined();
  });

  it('merges env into an existing file, keeping every other key and a backup, both owner-only', async () => {
    const previous = {
      model: 'opus',
      permissions: { allow: ['Bash(npm test)'] },
      env: { FOO: 'bar', ANTHROPIC_API_KEY: 'sk-old', ANTHROPIC_BASE_URL: 'https://elsewhere.example' },
    };
    const previousText = JSON.stringify(previous, null, 4);
    await fs.mkdir(path.dirname(settingsPath()));
    // Claude Code itself leaves the file world-readable; once it holds the client key it must not be.
    await fs.writeFile(settingsPath(), previousText, { mode: 0o644 });
    await fs.chmod(settingsPath(), 0o644);
    const inodeBefore = (await fs.stat(settingsPath())).ino;
    scope.proxy = await start();
    // Before writing, the view names what the write replaces: the other URL, and the key it removes.
    const before = await admin<ClaudeCodeSetupView>('GET', '/admin/claude-code');
    expect(before).toMatchObject({ configured: false });
    expect(before.staleKey).toBeUndefined();
    expect(before.replaces).toEqual([
      { name: 'ANTHROPIC_BASE_URL', current: 'https://elsewhere.example', change: 'replaced' },
      { name: 'ANTHROPIC_API_KEY', current: '…', change: 'removed' },
    ]);

    const written = await admin<ClaudeCodeWriteResponse>('POST', '/admin/claude-code/settings');
    expect(written.backupPath).toMatch(/settings\.json\.bak-\d{8}-\d{6}$/);
    expect(await fs.readFile(written.backupPath!, 'utf8')).toBe(previousText);
    expect((await fs.stat(written.backupPath!)).mode & 0o777).toBe(0o600);
    expect(await readSettings()).toEqual({
      model: 'opus',
      permissions: { allow: ['Bash(npm test)'] },
      env: { FOO: 'bar', ANTHROPIC_BASE_URL: scope.proxy.url, ANTHROPIC_AUTH_TOKEN: CLIENT_KEY },
    });
    const after = await fs.stat(settingsPath());
    expect(after.mode & 0o777).toBe(0o600);
    expect(after.ino).not.toBe(inodeBefore); // a new file renamed into place, not rewritten in place
    const names = await fs.readdir(path.dirname(settingsPath()));
    expect(names.sort()).toEqual(['settings.json', path.basename(written.backupPath!)].sort());
    expect((await admin<ClaudeCodeSetupView>('GET', '/admin/claude-code')).configured).toBe(true);

    const again = await admin<ClaudeCodeWriteResponse>('POST', '/admin/claude-code/settings');
    expect(again.backupPath).not.toBe(written.backupPath);
    expect(await fs.readFile(written.backupPath!, 'utf8')).toBe(previousText);
  });

  it('leaves a malformed file untouched and says why', async () => {
    const malformed = '{ "model": "opus", ';
    await fs.mkdir(path.dirname(settingsPath()));
    await fs.writeFile(settingsPath(), malformed);
    scope.proxy = await start();

    const answer = await adminRequest(scope.proxy.url, 'POST', '/admin/claude-code/settings');
    expect(answer.status).toBe(409);
    expect(answer.json<{ error: { message: string } }>().error.message).toMatch(
      /settings\.json is not valid JSON.*left as it is/,
    );
    expect(await fs.readFile(settingsPath(), 'utf8')).toBe(malformed);
    expect(await fs.readdir(path.dirname(settingsPath()))).toEqual(['settings.json']);
    const view = await admin<ClaudeCodeSetupView>('GET', '/admin/claude-code');
    expect(view).toMatchObject({ settingsFileExists: true, configured: false });
  });

  it('refuses a file whose env is not an object, and one that is not an object at all', async () => {
    await fs.mkdir(path.dirname(settingsPath()));
    scope.proxy = await start();
    for (const text of ['{"env": ["x"]}', '[1, 2]']) {
      await fs.writeFile(settingsPath(), text);
      expect((await adminRequest(scope.proxy.url, 'POST', '/admin/claude-code/settings')).status).toBe(409);
      expect(await fs.readFile(settingsPath(), 'utf8')).toBe(text);
    }
  });

  it('writes through a symlinked settings file, keeping the link', async () => {
    const realFile = path.join(home, 'dotfiles', 'claude.json');
    await fs.mkdir(path.dirname(realFile));
    await fs.mkdir(path.dirname(settingsPath()));
    await fs.writeFile(realFile, '{"theme": "dark"}');
    await fs.symlink(realFile, settingsPath());
    scope.proxy = await start();

    await admin('POST', '/admin/claude-code/settings');
    expect((await fs.lstat(settingsPath())).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await fs.readFile(realFile, 'utf8'))).toMatchObject({
      theme: 'dark',
      env: { ANTHROPIC_AUTH_TOKEN: CLIENT_KEY },
    });
  });

  it('answers 404 when the host does not know where Claude Code keeps its settings', async () => {
    scope.proxy = await startProxyHarness();
    expect((await adminRequest(scope.proxy.url, 'GET', '/admin/claude-code')).status).toBe(404);
    expect((await adminRequest(scope.proxy.url, 'POST', '/admin/claude-code/settings')).status).toBe(404);
  });
});
