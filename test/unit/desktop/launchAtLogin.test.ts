import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { app, resetFakeElectron } from './fakeElectron.ts';

vi.mock('electron', () => import('./fakeElectron.ts'));

const { AUTOSTART_FILE_NAME, createLaunchAtLogin, linuxAutostartOf } =
  await import('../../../electron/main/launchAtLogin.ts');
const { trayMenuModel } = await import('../../../electron/main/trayMenuModel.ts');

beforeEach(() => resetFakeElectron());

describe('launch at login', () => {
  it('sets the OS login item and reports what the OS says afterwards', () => {
    const launch = createLaunchAtLogin(app, 'win32');
    expect(launch.supported).toBe(true);
    expect(launch.set(true)).toBe(true);
    expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true });
    expect(launch.get()).toBe(true);
    expect(launch.set(false)).toBe(false);
    expect(app.loginItem.openAtLogin).toBe(false);
  });

  it('reports what the OS refused to change', () => {
    const launch = createLaunchAtLogin(app, 'darwin');
    app.setLoginItemSettings.mockImplementationOnce(() => undefined);
    expect(launch.set(true)).toBe(false);
  });
});

const hasGio = (() => {
  try {
    execFileSync('gio', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('launch at login on Linux (an XDG autostart entry)', () => {
  let home: string;
  let autostartDir: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'kiro-dock-autostart-'));
    autostartDir = path.join(home, 'config', 'autostart');
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('writes and removes ~/.config/autostart/kiro-dock.desktop, and the tray enables its checkbox', () => {
    const launch = createLaunchAtLogin(app, 'linux', {
      dir: autostartDir,
      executable: '/opt/Kiro Dock/kiro-dock',
    });
    expect(launch.supported).toBe(true);
    expect(launch.get()).toBe(false);
    expect(launch.set(true)).toBe(true);
    const entry = readFileSync(path.join(autostartDir, AUTOSTART_FILE_NAME), 'utf8');
    expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
    expect(entry).toContain('Exec="/opt/Kiro Dock/kiro-dock" --hidden\n');
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
    const model = trayMenuModel({ requestsToday: 0, accounts: [], launchAtLogin: launch.get() });
    expect(model.items.find((item) => item.kind === 'checkbox')).toMatchObject({
      enabled: true,
      checked: true,
    });
    expect(launch.set(false)).toBe(false);
    expect(existsSync(path.join(autostartDir, AUTOSTART_FILE_NAME))).toBe(false);
    expect(launch.set(false)).toBe(false);
  });

  it('reports an entry the user switched off in the session settings as off', () => {
    const launch = createLaunchAtLogin(app, 'linux', { dir: autostartDir, executable: '/usr/bin/kiro-dock' });
    launch.set(true);
    const file = path.join(autostartDir, AUTOSTART_FILE_NAME);
    writeFileSync(file, readFileSync(file, 'utf8').replace('X-GNOME-Autostart-enabled=true', 'Hidden=true'));
    expect(launch.get()).toBe(false);
  });

  it('follows XDG_CONFIG_HOME and starts the AppImage itself, not its temporary mount', () => {
    expect(
      linuxAutostartOf({ XDG_CONFIG_HOME: '/x/cfg', APPIMAGE: '/a/Kiro.AppImage' }, '/tmp/.mount/kd'),
    ).toEqual({
      dir: path.join('/x/cfg', 'autostart'),
      executable: '/a/Kiro.AppImage',
    });
    expect(linuxAutostartOf({ HOME: '/h' }, '/usr/bin/kiro-dock').executable).toBe('/usr/bin/kiro-dock');
  });

  it.runIf(hasGio)(
    'is started by GLib with --hidden, even from a path with spaces, quotes and $',
    async () => {
      const dir = path.join(home, 'a $b`c"d\\e');
      mkdirSync(dir);
      const program = path.join(dir, 'run me');
      const out = path.join(home, 'argv');
      writeFileSync(program, `#!/bin/sh\nprintf '%s\\n' "$@" > '${out}'\n`);
      chmodSync(program, 0o755);
      const launch = createLaunchAtLogin(app, 'linux', { dir: autostartDir, executable: program });
      launch.set(true);
      await promisify(execFile)('gio', ['launch', path.join(autostartDir, AUTOSTART_FILE_NAME)]);
      await vi.waitFor(() => expect(readFileSync(out, 'utf8')).toBe('--hidden\n'), { timeout: 5_000 });
    },
  );
});
