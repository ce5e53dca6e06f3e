import { beforeEach, describe, expect, it, vi } from 'vitest';
import { app, resetFakeElectron } from './fakeElectron.ts';

vi.mock('electron', () => import('./fakeElectron.ts'));

const { createLaunchAtLogin } = await import('../../../electron/main/launchAtLogin.ts');
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

  it('is unsupported on Linux: nothing is set, the tray disables its checkbox', () => {
    const launch = createLaunchAtLogin(app, 'linux');
    expect(launch.set(true)).toBe(false);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
    const model = trayMenuModel({
      requestsToday: 0,
      accounts: [],
      launchAtLogin: launch.supported ? launch.get() : undefined,
    });
    expect(model.items.find((item) => item.kind === 'checkbox')).toMatchObject({ enabled: false });
  });
});
