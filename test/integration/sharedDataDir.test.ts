/**
 * Two Kiro Dock processes on one data folder (a `serve` and a `daemon`, say): they share the accounts, the
 * settings file and the secrets file, and Kiro rotates the refresh token at every refresh. When both refresh the
 * same account at the same moment, one of them is refused (its refresh token was just replaced by the other's
 * refresh); neither may then declare the login dead, and both keep serving.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/logging/createLogger.ts';
import { createFileSecretStore } from '../../electron/core/secrets/fileSecretStore.ts';
import { createJsonSettingsStore } from '../../electron/core/settings/jsonSettingsStore.ts';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';

let emulator: KiroEmulator | undefined;
let dataDir: string | undefined;
const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) core.dispose();
  await emulator?.close();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

/** What each process opens on the data folder: its own view of the settings and secrets files, and a core. */
function openProcess(folder: string, upstreamUrl: string): Core {
  const core = createCore({
    clientKey: 'kd-shared-folder-test-key',
    adminToken: 'kda-shared-folder-test',
    logger: silentLogger(),
    version: 'test',
    upstreamUrl,
    settings: createJsonSettingsStore({ dataDir: folder }),
    secrets: createFileSecretStore(folder),
  });
  cores.push(core);
  return core;
}

const ask = (core: Core, content: string) =>
  core.runPrompt({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content }], source: 'daemon' });

describe('two processes on one data folder', () => {
  it('refreshing the same account at the same moment leaves it working in both', async () => {
    emulator = await startKiroEmulator({ strict: true });
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-shared-'));
    const login = emulator.createSocialAccount();
    const serve = openProcess(dataDir, emulator.url);
    const account = await serve.repository.add(
      { label: 'shared', source: 'manual', authMethod: 'social', region: 'us-east-1', disabled: false },
      {
        accessToken: login.accessToken,
        refreshToken: login.refreshToken,
        expiresAt: Date.parse(login.expiresAt),
      },
    );
    const daemon = openProcess(dataDir, emulator.url);
    await Promise.all([serve.start(), daemon.start()]);

    for (let round = 0; round < 10; round++) {
      await Promise.allSettled([
        serve.accounts.refreshNow(account.id),
        daemon.accounts.refreshNow(account.id),
      ]);
      for (const core of [serve, daemon]) {
        expect(core.accounts.pool.get(account.id)?.state.kind, `round ${round}`).toBe('active');
      }
    }
    // Kiro did refuse some of those refreshes: the two processes really raced.
    const refreshes = emulator.requests.filter((entry) => entry.operation === 'refreshToken');
    expect(refreshes.filter((entry) => entry.status !== 200).length).toBeGreaterThan(0);
    expect((await ask(serve, '[[reply:from serve]]')).text).toBe('from serve');
    expect((await ask(daemon, '[[reply:from the daemon]]')).text).toBe('from the daemon');
    // A later start on the same folder finds a working login too.
    const restarted = openProcess(dataDir, emulator.url);
    await restarted.start();
    await restarted.accounts.refreshNow(account.id);
    expect((await ask(restarted, '[[reply:after a restart]]')).text).toBe('after a restart');
    expect(emulator.strictRejections()).toEqual([]);
  });
});
