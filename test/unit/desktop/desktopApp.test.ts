/**
 * The composition root with Electron mocked and everything else real: the core in front of the Kiro emulator,
 * settings and secrets in a temporary user-data folder, the proxy on a real port.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SETTING_LISTEN_PORT } from '../../../electron/core/index.ts';
import { silentLogger } from '../../../electron/core/logging/createLogger.ts';
import { SETTING_PROXY_ENABLED } from '../../../electron/main/proxyController.ts';
import { startKiroEmulator, type KiroEmulator } from '../../emulator/kiroEmulator.ts';
import { writeIdeLogin } from '../../integration/proxyHarness.ts';
import { freePort, healthAt, startStreamingRequest } from './desktopCore.ts';
import {
  app,
  BrowserWindow,
  clipboard,
  Notification,
  powerMonitor,
  resetFakeElectron,
  Tray,
} from './fakeElectron.ts';

vi.mock('electron', () => import('./fakeElectron.ts'));

const { startDesktopApp } = await import('../../../electron/main/desktopApp.ts');

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLIENT_KEY = 'kd-desktop-test-key';
const ADMIN_TOKEN = 'kda-desktop-test-admin';

let emulator: KiroEmulator;
let scratch: string;
let port: number;
/** The running app's quit has not been asked for yet. */
let running = false;

beforeEach(async () => {
  resetFakeElectron();
  emulator = await startKiroEmulator({ strict: true });
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-desktop-'));
  await fs.mkdir(path.join(scratch, 'auth'));
  await writeIdeLogin(path.join(scratch, 'auth'), emulator.createSocialAccount());
  port = await freePort();
  await fs.mkdir(userData());
  await fs.writeFile(path.join(userData(), 'settings.json'), JSON.stringify({ [SETTING_LISTEN_PORT]: port }));
});

afterEach(async () => {
  if (running) await quit();
  await emulator.close();
  await fs.rm(scratch, { recursive: true, force: true });
});

const userData = () => path.join(scratch, 'user-data');

/** What the app does once Electron is ready, in this folder, against the emulator. */
async function launch({ secretStore = 'file' }: { secretStore?: 'file' | 'remembered' } = {}) {
  app.paths = { userData: userData(), logs: path.join(scratch, 'logs') };
  app.appPath = ROOT;
  const desktop = await startDesktopApp({
    env: {
      KIRO_DOCK_UPSTREAM_URL: emulator.url,
      KIRO_DOCK_API_KEY: CLIENT_KEY,
      KIRO_DOCK_ADMIN_TOKEN: ADMIN_TOKEN,
      CLAUDE_CONFIG_DIR: path.join(scratch, 'claude'),
    },
    kiroAuthDir: path.join(scratch, 'auth'),
    ...(secretStore === 'file' && { secretStore }),
    logger: silentLogger(),
    // Started by the session, with a tray host: no window opens by itself.
    argv: ['kiro-dock', '--hidden'],
    autostart: { dir: path.join(scratch, 'autostart'), executable: '/usr/bin/kiro-dock' },
  });
  running = true;
  return desktop;
}

/** Quits as the tray's Quit does, and waits until the app has exited. */
async function quit(): Promise<void> {
  running = false;
  expect(app.fire('before-quit').defaultPrevented).toBe(true);
  await vi.waitFor(() => expect(app.exit).toHaveBeenCalled(), { timeout: 15_000 });
}

const tray = () => Tray.created.at(-1)!;
const menuLabels = () => tray().menu!.items.map((item) => item.label ?? '-');
const iconState = () => path.basename(tray().images.at(-1)!).replace(/^tray-|\.png$/g, '');
const click = (label: string) => tray().menu!.items.find((item) => item.label === label)!.click!();

async function readSettings(): Promise<Record<string, unknown>> {
  return JSON.parse(await fs.readFile(path.join(userData(), 'settings.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

describe('desktop app', () => {
  it('on ready the proxy listens on the remembered port and the tray says so', async () => {
    await launch();
    expect(await healthAt(port)).toBe(200);
    await vi.waitFor(() =>
      expect(menuLabels()[0]).toBe(`Running on port ${port} · 0 requests today · 1/1 accounts OK`),
    );
    expect(iconState()).toBe('running');
    expect(Notification.shown).toEqual([]);
    click('Copy endpoint URL');
    expect(clipboard.writeText).toHaveBeenLastCalledWith(`http://127.0.0.1:${port}`);
    click('Copy Claude Code environment');
    await vi.waitFor(() => expect(clipboard.writeText).toHaveBeenCalledTimes(2));
    const lines = clipboard.writeText.mock.calls[1]![0];
    expect(lines).toContain(`ANTHROPIC_BASE_URL=http://127.0.0.1:${port}`);
    expect(lines).toContain(CLIENT_KEY);
  });

  it('waking from sleep (powerMonitor resume) re-reads every quota at once', async () => {
    await launch();
    const quotaCalls = () => emulator.requests.filter((entry) => entry.operation === 'getUsageLimits').length;
    await vi.waitFor(() => expect(quotaCalls()).toBe(1));
    powerMonitor.fire('resume');
    await vi.waitFor(() => expect(quotaCalls()).toBe(2));
  });

  it('keeps secrets in the store remembered for its folder, as the accounts commands chose it', async () => {
    const settings = await readSettings();
    await fs.writeFile(
      path.join(userData(), 'settings.json'),
      JSON.stringify({ ...settings, secretStore: 'file' }),
    );
    await launch({ secretStore: 'remembered' });
    await vi.waitFor(() => expect(menuLabels()[0]).toContain('1/1 accounts OK'));
    const secrets = await fs.readFile(path.join(userData(), 'secrets.json'), 'utf8');
    expect(Object.keys(JSON.parse(secrets) as object).length).toBeGreaterThan(0);
    expect(Notification.shown).toEqual([]);
  });

  it('rebuilds the tray when an account is added', async () => {
    await launch();
    await vi.waitFor(() => expect(menuLabels()[0]).toContain('1/1 accounts OK'));
    const menusBefore = tray().menusSet;
    const added = await fetch(`http://127.0.0.1:${port}/admin/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'social',
        refreshToken: emulator.createSocialAccount().refreshToken,
        label: 'second',
      }),
    });
    expect(added.status).toBeLessThan(300);
    await vi.waitFor(() => expect(menuLabels()[0]).toContain('2/2 accounts OK'));
    expect(menuLabels().some((label) => label.startsWith('second — '))).toBe(true);
    // Debounced: the burst of pool events the add caused is a handful of rebuilds, not one per event.
    expect(tray().menusSet - menusBefore).toBeLessThanOrEqual(3);
  });

  it('the toggle closes the port and is remembered: the next launch starts with the proxy off', async () => {
    await launch();
    await vi.waitFor(() => expect(menuLabels()).toContain('Stop proxy'));
    click('Stop proxy');
    await vi.waitFor(async () => expect(await healthAt(port)).toBe('refused'));
    await vi.waitFor(() => expect(iconState()).toBe('stopped'));
    expect(menuLabels()).toContain('Start proxy');
    expect((await readSettings())[SETTING_PROXY_ENABLED]).toBe(false);
    await quit();

    resetFakeElectron();
    await launch();
    expect(await healthAt(port)).toBe('refused');
    expect(iconState()).toBe('stopped');
    expect(menuLabels()[0]).toMatch(/^Proxy stopped · /);
    click('Start proxy');
    await vi.waitFor(async () => expect(await healthAt(port)).toBe(200));
  });

  it('the dashboard window signs in with a one-time code the core accepts exactly once', async () => {
    const desktop = await launch();
    desktop.showDashboard();
    const window = BrowserWindow.created[0]!;
    const loaded = new URL(window.loaded[0]!);
    expect(`${loaded.origin}${loaded.pathname}`).toBe(`http://127.0.0.1:${port}/dashboard/`);
    const code = new URLSearchParams(loaded.hash.slice(1)).get('login')!;
    expect(code.length).toBeGreaterThan(20);
    const exchange = () =>
      fetch(`http://127.0.0.1:${port}/admin/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
    const first = await exchange();
    expect(first.status).toBe(200);
    const { token } = (await first.json()) as { token: string };
    const accounts = await fetch(`http://127.0.0.1:${port}/admin/accounts`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(accounts.status).toBe(200);
    expect((await exchange()).status).toBe(401);
  });

  it('closing the window keeps the app; reopening the app (macOS activate) shows the dashboard again', async () => {
    const desktop = await launch();
    desktop.showDashboard();
    const window = BrowserWindow.created[0]!;
    window.close();
    app.fire('window-all-closed');
    expect(window.visible).toBe(false);
    expect(app.quit).not.toHaveBeenCalled();
    expect(app.exit).not.toHaveBeenCalled();
    app.fire('activate', false);
    expect(window.visible).toBe(true);
    expect(BrowserWindow.created).toHaveLength(1);
  });

  it('quitting lets a streaming answer finish, refuses new connections, then exits', async () => {
    const frames = 20;
    const frameGapMs = 30;
    emulator.setOptions({ interFrameDelayMs: frameGapMs, chunkCount: frames });
    await launch();
    let exitedAt: number | undefined;
    app.exit.mockImplementation(() => void (exitedAt = Date.now()));
    const requestedAt = Date.now();
    const started = await startStreamingRequest(port, CLIENT_KEY, 'hi');
    expect(started.status).toBe(200);
    const streamed = started.rest.then((answer) => answer.text);
    running = false;
    expect(app.fire('before-quit').defaultPrevented).toBe(true);
    await vi.waitFor(async () => expect(await healthAt(port)).toBe('refused'));
    expect(await streamed).toContain('event: message_stop');
    await vi.waitFor(() => expect(exitedAt).toBeDefined(), { timeout: 15_000 });
    expect(app.exit).toHaveBeenCalledWith(0);
    // Kiro takes this long to send the whole answer: an exit any sooner would have cut it.
    expect(exitedAt! - requestedAt).toBeGreaterThanOrEqual((frames - 1) * frameGapMs - 20);
    expect(tray().destroyed).toBe(true);
  });

  it('a taken port is a notification, and the tray shows "stopped" with the reason', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      await launch();
      expect(Notification.shown).toEqual([
        expect.objectContaining({ title: `Kiro Dock cannot listen on port ${port}` }),
      ]);
      await vi.waitFor(() => expect(menuLabels()).toContain(`Port ${port} is in use by another program`));
      expect(iconState()).toBe('stopped');
      expect(tray().tooltip).toBe('Kiro Dock — proxy stopped');
      expect(menuLabels()[0]).toMatch(/^Proxy stopped · /);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
