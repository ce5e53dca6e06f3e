/**
 * The installed app's --self-test, run here with Electron's stand-in against the real Secret Service, a real
 * log file, real tray icon files and a temporary autostart folder; and each check shown failing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../electron/core/logging/createLogger.ts';
import { createMemorySecretStore } from '../../../electron/core/secrets/memorySecretStore.ts';
import { SECRET_SERVICE_ADDRESS, SECRET_SERVICE_FLAG } from '../../support/secretService.ts';
import { app, fakeSystem, Notification, resetFakeElectron } from './fakeElectron.ts';

vi.mock('electron', () => import('./fakeElectron.ts'));

const { prepareSelfTest, runSelfTestApp } = await import('../../../electron/main/selfTestApp.ts');
const { runSelfTest, selfTestExitCode } = await import('../../../electron/main/selfTest.ts');

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const bus = process.env[SECRET_SERVICE_FLAG] === '1' ? process.env[SECRET_SERVICE_ADDRESS] : undefined;
const saved = { bus: process.env['DBUS_SESSION_BUS_ADDRESS'], config: process.env['XDG_CONFIG_HOME'] };
let config: string;
let printed: string[];

beforeEach(() => {
  resetFakeElectron();
  app.appPath = ROOT;
  config = mkdtempSync(path.join(os.tmpdir(), 'kiro-dock-self-test-config-'));
  process.env['XDG_CONFIG_HOME'] = config;
  if (bus) process.env['DBUS_SESSION_BUS_ADDRESS'] = bus;
  printed = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(config, { recursive: true, force: true });
  for (const [key, value] of [
    ['DBUS_SESSION_BUS_ADDRESS', saved.bus],
    ['XDG_CONFIG_HOME', saved.config],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const reported = () =>
  printed
    .filter((line) => line.startsWith('{'))
    .map(
      (line) => (JSON.parse(line) as { selfTest: { check: string; ok: boolean; detail: string } }).selfTest,
    );

describe.runIf(bus)('--self-test in the app', () => {
  it.each(['linux', 'darwin'] as const)('passes every check on %s and says so', async (platform) => {
    fakeSystem.platform = platform;
    const scratch = prepareSelfTest();
    expect(app.getPath('userData')).toBe(path.join(scratch, 'user-data'));
    expect(await runSelfTestApp(scratch, platform)).toBe(0);
    expect(reported().map(({ check, ok }) => [check, ok])).toEqual([
      ['keychain round trip', true],
      ['log file', true],
      ['notifications', true],
      ['launch at login', true],
      ['tray icons', true],
    ]);
    expect(reported()[0]!.detail).toBe('keychain: stored, read back and deleted a 3000-character secret');
    if (platform === 'darwin') expect(reported()[4]!.detail).toContain('template');
    expect(printed.at(-1)).toBe('self-test: all checks passed\n');
  });

  it('fails, naming the check, when notifications are not supported', async () => {
    Notification.supported = false;
    const scratch = prepareSelfTest();
    expect(await runSelfTestApp(scratch, 'linux')).toBe(1);
    expect(reported().find((result) => !result.ok)).toEqual({
      check: 'notifications',
      ok: false,
      detail: 'Notification.isSupported() is false',
    });
    expect(printed.at(-1)).toBe('self-test: 1 check(s) failed\n');
  });
});

describe('self-test checks', () => {
  const parts = (overrides: Partial<Parameters<typeof runSelfTest>[0]> = {}) => ({
    platform: 'darwin' as NodeJS.Platform,
    openKeychain: () => Promise.resolve(createMemorySecretStore()),
    logger: silentLogger(),
    logFile: path.join(config, 'none', 'kiro-dock.log'),
    notificationsSupported: () => true,
    launchAtLogin: { supported: true, get: () => false, set: (enabled: boolean) => enabled },
    trayImage: () => ({ isEmpty: () => false, isTemplateImage: () => true }),
    sleep: () => Promise.resolve(),
    ...overrides,
  });

  it('fails on a tray icon macOS would not tint, a login item that does not stick, no keychain, no log', async () => {
    const results = await runSelfTest(
      parts({
        openKeychain: () => Promise.reject(new Error('No usable OS keychain here')),
        trayImage: () => ({ isEmpty: () => false, isTemplateImage: () => false }),
        launchAtLogin: { supported: true, get: () => false, set: () => false },
      }),
    );
    expect(selfTestExitCode(results)).toBe(1);
    expect(Object.fromEntries(results.map(({ check, ok, detail }) => [check, ok || detail]))).toEqual({
      'keychain round trip': 'No usable OS keychain here',
      'log file': expect.stringMatching(/no log line reached .* within 5000 ms/),
      notifications: true,
      'launch at login': 'the login item is not on after turning it on',
      'tray icons': 'the running tray icon is not a template image: the menu bar would show it black',
    });
  });

  it("accepts a macOS login item that waits for the user's approval, and says so", async () => {
    const [, , , loginItem] = await runSelfTest(
      parts({
        launchAtLogin: {
          supported: true,
          get: () => false,
          set: () => false,
          status: () => 'requires-approval',
        },
      }),
    );
    expect(loginItem).toEqual({
      check: 'launch at login',
      ok: true,
      detail: 'registered; macOS waits for the user to allow it in System Settings → Login Items',
    });
  });

  it('checks the update feed of a packaged app', async () => {
    const results = await runSelfTest(parts({ resourcesPath: config }));
    expect(results.at(-1)).toMatchObject({ check: 'update feed', ok: false });
    expect(results.at(-1)!.detail).toContain('app-update.yml is missing');
  });
});
