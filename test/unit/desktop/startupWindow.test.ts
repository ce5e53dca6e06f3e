/** When the dashboard opens at start, and the tray-host question asked of a real D-Bus session bus. */
import { describe, expect, it } from 'vitest';
import {
  busNameHasOwner,
  shouldOpenDashboardAtStart,
  TRAY_WATCHER_NAME,
} from '../../../electron/main/startupWindow.ts';
import { SECRET_SERVICE_ADDRESS, SECRET_SERVICE_FLAG } from '../../support/secretService.ts';

const gnome = { XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' };
const kde = { XDG_CURRENT_DESKTOP: 'KDE' };

describe('dashboard at start', () => {
  it('never on macOS and Windows, where the tray always has a host', () => {
    for (const platform of ['darwin', 'win32'] as const)
      expect(shouldOpenDashboardAtStart({ platform, argv: [], trayHost: undefined, env: gnome })).toBe(false);
  });

  it('on Linux when started by hand, so a start is always visible', () => {
    expect(
      shouldOpenDashboardAtStart({ platform: 'linux', argv: ['kiro-dock'], trayHost: true, env: kde }),
    ).toBe(true);
  });

  it('on Linux at login only when no tray host would show the icon', () => {
    const atLogin = ['kiro-dock', '--hidden'];
    expect(shouldOpenDashboardAtStart({ platform: 'linux', argv: atLogin, trayHost: true, env: gnome })).toBe(
      false,
    );
    expect(shouldOpenDashboardAtStart({ platform: 'linux', argv: atLogin, trayHost: false, env: kde })).toBe(
      true,
    );
    // The bus could not be asked: stock GNOME has no host, other desktops do.
    expect(
      shouldOpenDashboardAtStart({ platform: 'linux', argv: atLogin, trayHost: undefined, env: gnome }),
    ).toBe(true);
    expect(
      shouldOpenDashboardAtStart({ platform: 'linux', argv: atLogin, trayHost: undefined, env: kde }),
    ).toBe(false);
  });
});

const bus = process.env[SECRET_SERVICE_FLAG] === '1' ? process.env[SECRET_SERVICE_ADDRESS] : undefined;

describe('asking the session bus for a tray host', () => {
  it.runIf(bus)(
    'tells an owned name (the keyring on the test bus) from the missing tray watcher',
    async () => {
      const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus };
      expect(await busNameHasOwner('org.freedesktop.secrets', env)).toBe(true);
      expect(await busNameHasOwner(TRAY_WATCHER_NAME, env)).toBe(false);
    },
  );

  it('cannot tell without a bus', async () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/kiro-dock-bus' };
    expect(await busNameHasOwner(TRAY_WATCHER_NAME, env)).toBeUndefined();
  });
});
