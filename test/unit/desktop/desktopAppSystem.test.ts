/**
 * The desktop app and its OS, with Electron's stand-in and everything else real (core, emulator, a proxy on a
 * real port): wake and unlock, shutdown and Windows' session end, the application menu, the window at start on
 * Linux, the tray's left click and its update entries.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SETTING_LISTEN_PORT } from '../../../electron/core/index.ts';
import { silentLogger } from '../../../electron/core/logging/createLogger.ts';
import type { DesktopAppOptions } from '../../../electron/main/desktopApp.ts';
import { startKiroEmulator, type KiroEmulator } from '../../emulator/kiroEmulator.ts';
import { writeIdeLogin } from '../../integration/proxyHarness.ts';
import { freePort, healthAt, startStreamingRequest } from './desktopCore.ts';
import {
  app,
  BrowserWindow,
  fakeSystem,
  Menu,
  powerMonitor,
  resetFakeElectron,
  Tray,
} from './fakeElectron.ts';

vi.mock('electron', () => import('./fakeElectron.ts'));

const { startDesktopApp } = await import('../../../electron/main/desktopApp.ts');

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLIENT_KEY = 'kd-desktop-system-key';

let emulator: KiroEmulator;
let scratch: string;
let port: number;

beforeEach(async () => {
  resetFakeElectron();
  emulator = await startKiroEmulator({ strict: true });
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-desktop-system-'));
  await fs.mkdir(path.join(scratch, 'auth'));
  await writeIdeLogin(path.join(scratch, 'auth'), emulator.createSocialAccount());
  port = await freePort();
  await fs.mkdir(path.join(scratch, 'user-data'));
  await fs.writeFile(
    path.join(scratch, 'user-data', 'settings.json'),
    JSON.stringify({ [SETTING_LISTEN_PORT]: port }),
  );
});

afterEach(async () => {
  if (!app.exit.mock.calls.length) {
    app.fire('before-quit');
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalled(), { timeout: 15_000 });
  }
  await emulator.close();
  await fs.rm(scratch, { recursive: true, force: true });
});

async function launch(overrides: DesktopAppOptions = {}) {
  app.paths = { userData: path.join(scratch, 'user-data'), logs: path.join(scratch, 'logs') };
  app.appPath = ROOT;
  fakeSystem.platform = overrides.platform ?? 'linux';
  return startDesktopApp({
    env: { KIRO_DOCK_UPSTREAM_URL: emulator.url, KIRO_DOCK_API_KEY: CLIENT_KEY },
    kiroAuthDir: path.join(scratch, 'auth'),
    secretStore: 'file',
    logger: silentLogger(),
    argv: ['kiro-dock', '--hidden'],
    autostart: { dir: path.join(scratch, 'autostart'), executable: '/usr/bin/kiro-dock' },
    ...overrides,
  });
}

const quotaCalls = () => emulator.requests.filter((entry) => entry.operation === 'getUsageLimits').length;
const menuItem = (label: string) => Tray.created.at(-1)!.menu!.items.find((item) => item.label === label);

describe('the desktop app and its OS', () => {
  it('re-reads every quota when the screen is unlocked, as after a wake', async () => {
    await launch();
    await vi.waitFor(() => expect(quotaCalls()).toBe(1), { timeout: 5_000 });
    // The first reading has arrived (a sweep skips an account whose reading is still on its way).
    await vi.waitFor(
      () =>
        expect(Tray.created.at(-1)!.menu!.items.some((item) => /credits left/.test(item.label ?? ''))).toBe(
          true,
        ),
      { timeout: 5_000 },
    );
    powerMonitor.fire('unlock-screen');
    await vi.waitFor(() => expect(quotaCalls()).toBe(2), { timeout: 5_000 });
  });

  it('drains and exits on a system shutdown (macOS, Linux), asking the OS to wait', async () => {
    emulator.setOptions({ interFrameDelayMs: 30, chunkCount: 10 });
    await launch();
    const started = await startStreamingRequest(port, CLIENT_KEY, 'hi');
    expect(powerMonitor.fire('shutdown').defaultPrevented).toBe(true);
    expect((await started.rest).text).toContain('event: message_stop');
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0), { timeout: 10_000 });
    expect(await healthAt(port)).toBe('refused');
  });

  it('on Windows keeps a hidden window that hears the session end, drains, and then lets it close', async () => {
    await launch({ platform: 'win32' });
    const window = BrowserWindow.created[0]!;
    expect(window.visible).toBe(false);
    expect(window.loaded).toEqual([]);
    window.fire('query-session-end', { reasons: ['shutdown'] });
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0), { timeout: 10_000 });
    window.fire('session-end', { reasons: ['shutdown'] });
    expect(window.fire('close').defaultPrevented).toBe(false);
    expect(app.exit).toHaveBeenCalledTimes(1);
  });

  it("on Windows' session-end alone still disposes and exits at once", async () => {
    await launch({ platform: 'win32' });
    BrowserWindow.created[0]!.fire('session-end', { reasons: ['logoff'] });
    expect(app.exit).toHaveBeenCalledWith(0);
    expect(Tray.created.at(-1)!.destroyed).toBe(true);
  });

  it('replaces the default menu with one without Reload or developer tools', async () => {
    await launch({ platform: 'darwin' });
    const roles = JSON.stringify(Menu.application);
    expect(roles).toContain('"role":"copy"');
    expect(roles).not.toMatch(/toggleDevTools|reload|viewMenu/i);
  });

  it('on Linux opens the dashboard when started by hand, not when the session started it', async () => {
    await launch({ argv: ['kiro-dock'] });
    expect(BrowserWindow.created[0]?.visible).toBe(true);
  });

  it('stays in the tray when the session started it and a tray host is assumed', async () => {
    await launch();
    expect(BrowserWindow.created).toEqual([]);
  });

  it('a left click on the Windows tray icon opens the dashboard; macOS leaves clicks to the menu', async () => {
    await launch({ platform: 'win32' });
    Tray.created.at(-1)!.fire('click');
    expect(BrowserWindow.created[0]!.visible).toBe(true);
  });

  it('from source the tray says updates come with the installed app, and the setting is there', async () => {
    await launch();
    expect(menuItem('Check for updates (installed app only)')).toMatchObject({ enabled: false });
    expect(menuItem('Update automatically')).toMatchObject({ checked: true });
  });
});
