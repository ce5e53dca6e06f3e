/**
 * An update in the assembled app, as an installed app does it: a packaged app with its update feed, the
 * electron-updater stand-in, the core before the Kiro emulator on a real port. "Restart to update" quits as
 * every quit does: the answer in flight finishes, and only then does the installer take over the exit.
 */
import { cpSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SETTING_LISTEN_PORT } from '../../../electron/core/index.ts';
import { silentLogger } from '../../../electron/core/logging/createLogger.ts';
import { startKiroEmulator, type KiroEmulator } from '../../emulator/kiroEmulator.ts';
import { writeIdeLogin } from '../../integration/proxyHarness.ts';
import { freePort, healthAt, startStreamingRequest } from './desktopCore.ts';
import { app, Notification, resetFakeElectron, Tray } from './fakeElectron.ts';
import { resetFakeUpdater, type FakeAppUpdater } from './fakeElectronUpdater.ts';

vi.mock('electron', () => import('./fakeElectron.ts'));

const { startDesktopApp } = await import('../../../electron/main/desktopApp.ts');

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLIENT_KEY = 'kd-desktop-update-key';

let emulator: KiroEmulator;
let scratch: string;
let port: number;
let updater: FakeAppUpdater;

beforeEach(async () => {
  resetFakeElectron();
  updater = resetFakeUpdater();
  emulator = await startKiroEmulator({ strict: true });
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-desktop-update-'));
  await fs.mkdir(path.join(scratch, 'auth'));
  await writeIdeLogin(path.join(scratch, 'auth'), emulator.createSocialAccount());
  port = await freePort();
  await fs.mkdir(path.join(scratch, 'user-data'));
  await fs.writeFile(
    path.join(scratch, 'user-data', 'settings.json'),
    JSON.stringify({ [SETTING_LISTEN_PORT]: port }),
  );
  // What electron-builder puts beside app.asar: the tray icons and the feed's address.
  const resources = path.join(scratch, 'resources');
  cpSync(path.join(ROOT, 'resources', 'tray'), path.join(resources, 'tray'), { recursive: true });
  await fs.writeFile(
    path.join(resources, 'app-update.yml'),
    'owner: kiro-dock\nrepo: kiro-dock\nprovider: github\nupdaterCacheDirName: kiro-dock-updater\n',
  );
});

afterEach(async () => {
  app.isPackaged = false;
  await emulator.close();
  await fs.rm(scratch, { recursive: true, force: true });
});

async function launchPackaged() {
  app.paths = { userData: path.join(scratch, 'user-data'), logs: path.join(scratch, 'logs') };
  app.appPath = ROOT;
  app.isPackaged = true;
  return startDesktopApp({
    env: { KIRO_DOCK_UPSTREAM_URL: emulator.url, KIRO_DOCK_API_KEY: CLIENT_KEY },
    kiroAuthDir: path.join(scratch, 'auth'),
    secretStore: 'file',
    logger: silentLogger(),
    argv: ['kiro-dock', '--hidden'],
    autostart: { dir: path.join(scratch, 'autostart'), executable: '/usr/bin/kiro-dock' },
    updater,
    resourcesPath: path.join(scratch, 'resources'),
  });
}

const item = (label: string) => Tray.created.at(-1)!.menu!.items.find((entry) => entry.label === label);

describe('updating the installed app', () => {
  it('downloads on request, then installs only after the answer in flight has finished', async () => {
    emulator.setOptions({ interFrameDelayMs: 30, chunkCount: 15 });
    await launchPackaged();
    updater.feed = { version: '9.9.9' };
    item('Check for updates…')!.click!();
    await vi.waitFor(() => expect(item('Restart to update to 9.9.9')).toMatchObject({ enabled: true }), {
      timeout: 5_000,
    });
    expect(Notification.shown.map((notice) => notice.title)).toEqual([
      'Downloading Kiro Dock 9.9.9',
      'Kiro Dock 9.9.9 is ready',
    ]);

    const started = await startStreamingRequest(port, CLIENT_KEY, 'hi');
    item('Restart to update to 9.9.9')!.click!();
    expect(app.quit).toHaveBeenCalledTimes(1);
    // What app.quit does in Electron: before-quit, which the draining quit takes over.
    expect(app.fire('before-quit').defaultPrevented).toBe(true);
    expect(updater.installs).toEqual([]);
    expect((await started.rest).text).toContain('event: message_stop');
    await vi.waitFor(() => expect(updater.installs).toEqual([{ isSilent: true, isForceRunAfter: true }]), {
      timeout: 10_000,
    });
    // The installer quits the app itself; the draining quit does not exit on top of it.
    expect(app.exit).not.toHaveBeenCalled();
    expect(await healthAt(port)).toBe('refused');
    expect(app.fire('before-quit').defaultPrevented).toBe(false);
  });

  it('a quit without a downloaded update exits as usual', async () => {
    await launchPackaged();
    app.fire('before-quit');
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0), { timeout: 10_000 });
    expect(updater.installs).toEqual([]);
  });
});
