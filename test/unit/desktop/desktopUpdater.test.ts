/** The updater against the electron-updater stand-in and a settings store: schedule, notices, install on quit. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemorySettingsStore } from '../../../electron/core/settings/memorySettingsStore.ts';
import { createDesktopUpdater } from '../../../electron/main/desktopUpdater.ts';
import {
  CHECK_INTERVAL_MS,
  FIRST_CHECK_DELAY_MS,
  SETTING_AUTO_UPDATE,
} from '../../../electron/main/updatePolicy.ts';
import type { DesktopNotice } from '../../../electron/main/accountNotifications.ts';
import { app, resetFakeElectron } from './fakeElectron.ts';
import { resetFakeUpdater, type FakeAppUpdater } from './fakeElectronUpdater.ts';

const silent = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() };

let updater: FakeAppUpdater;
let notices: DesktopNotice[];

function setup(host = { isPackaged: true, platform: 'win32' as NodeJS.Platform, hasFeed: true }) {
  app.isPackaged = host.isPackaged;
  const settings = createMemorySettingsStore();
  const onChange = vi.fn();
  const desktop = createDesktopUpdater({
    updater,
    host,
    settings,
    logger: silent as never,
    notify: (notice) => notices.push(notice),
    onChange,
  });
  return { desktop, settings, onChange };
}

beforeEach(() => {
  resetFakeElectron();
  updater = resetFakeUpdater();
  notices = [];
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
  app.isPackaged = false;
});

const settle = async () => {
  await vi.advanceTimersByTimeAsync(0);
  await new Promise((resolve) => setImmediate(resolve));
  await vi.advanceTimersByTimeAsync(0);
};

describe('desktop updater', () => {
  it('leaves installing to the draining quit, never to electron-updater on its own', () => {
    setup();
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(updater.autoDownload).toBe(true);
  });

  it('checks a minute after start and every six hours while automatic, quietly when nothing is new', async () => {
    const { desktop } = setup();
    desktop.start();
    await vi.advanceTimersByTimeAsync(FIRST_CHECK_DELAY_MS - 1);
    expect(updater.checks).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(updater.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS);
    expect(updater.checks).toBe(2);
    expect(notices).toEqual([]);
    expect(desktop.trayEntry()).toEqual({
      label: 'Check for updates…',
      enabled: true,
      restart: false,
      automatic: true,
    });
    desktop.dispose();
  });

  it('does not check by itself once the setting is off, and remembers it', async () => {
    const { desktop, settings } = setup();
    desktop.setAutomatic(false);
    expect(settings.get(SETTING_AUTO_UPDATE)).toBe(false);
    desktop.start();
    await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS * 2);
    expect(updater.checks).toBe(0);
    desktop.checkNow();
    await settle();
    expect(updater.checks).toBe(1);
    desktop.dispose();
  });

  it('says so when a check by hand finds nothing new or fails', async () => {
    const { desktop } = setup();
    desktop.checkNow();
    await settle();
    expect(notices.at(-1)?.title).toBe('Kiro Dock is up to date');
    updater.feed = { version: '9.9.9', failWith: 'net::ERR_INTERNET_DISCONNECTED' };
    desktop.checkNow();
    await settle();
    expect(notices.at(-1)).toEqual({
      title: 'Could not check for updates',
      body: 'net::ERR_INTERNET_DISCONNECTED. Check the network and try again from the tray menu.',
    });
    expect(desktop.state().kind).toBe('failed');
  });

  it('downloads a newer version, notifies, offers a restart and installs only when the quit hands over', async () => {
    const { desktop } = setup();
    updater.feed = { version: '1.2.0' };
    expect(desktop.installIfReady()).toBe(false);
    desktop.checkNow();
    await settle();
    expect(notices.map((notice) => notice.title)).toEqual([
      'Downloading Kiro Dock 1.2.0',
      'Kiro Dock 1.2.0 is ready',
    ]);
    expect(desktop.trayEntry()).toMatchObject({
      label: 'Restart to update to 1.2.0',
      enabled: true,
      restart: true,
    });
    expect(updater.installs).toEqual([]);
    expect(app.quit).not.toHaveBeenCalled();
    expect(desktop.installIfReady()).toBe(true);
    expect(updater.installs).toEqual([{ isSilent: true, isForceRunAfter: true }]);
  });

  it('keeps a ready update when a later check fails', async () => {
    const { desktop } = setup();
    updater.feed = { version: '1.2.0' };
    desktop.checkNow();
    await settle();
    updater.feed = { version: '1.2.0', failWith: 'offline' };
    desktop.checkNow();
    await settle();
    expect(desktop.state()).toEqual({ kind: 'ready', version: '1.2.0' });
  });

  it('does nothing from source: no checks, a disabled tray entry that says why', async () => {
    const { desktop } = setup({ isPackaged: false, platform: 'linux', hasFeed: false });
    desktop.start();
    desktop.checkNow();
    await vi.advanceTimersByTimeAsync(CHECK_INTERVAL_MS);
    expect(updater.checks).toBe(0);
    expect(desktop.trayEntry()).toMatchObject({
      label: 'Check for updates (installed app only)',
      enabled: false,
    });
  });
});
