import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DESKTOP_CHANNELS } from '../../../shared/desktopBridge.ts';
import { app, ipcMain, resetFakeElectron } from './fakeElectron.ts';

vi.mock('electron', () => import('./fakeElectron.ts'));

const { createLaunchAtLogin } = await import('../../../electron/main/launchAtLogin.ts');
const { RefusedSenderError, registerDesktopIpc } = await import('../../../electron/main/desktopIpc.ts');

const ORIGIN = 'http://127.0.0.1:8765';

function setup(options: { stopped?: boolean } = {}) {
  const origin = options.stopped ? undefined : ORIGIN;
  const openExternal = vi.fn<(url: string) => Promise<void>>(() => Promise.resolve());
  const setLanguage = vi.fn<(language: string) => void>();
  const unregister = registerDesktopIpc({
    ipcMain,
    dashboardOrigin: () => origin,
    launchAtLogin: createLaunchAtLogin(app, 'darwin'),
    openExternal,
    setLanguage,
  });
  const invoke = async (
    channel: string,
    frame: { url: string; parent: unknown } | null,
    ...args: unknown[]
  ) => ipcMain.handlers.get(channel)!({ senderFrame: frame }, ...args);
  return { openExternal, setLanguage, unregister, invoke };
}

const dashboardFrame = { url: `${ORIGIN}/dashboard/settings`, parent: null };

beforeEach(() => resetFakeElectron());

describe('desktop IPC', () => {
  it('answers the dashboard of this proxy', async () => {
    const { invoke, openExternal } = setup();
    expect(await invoke(DESKTOP_CHANNELS.getLaunchAtLogin, dashboardFrame)).toBe(false);
    expect(await invoke(DESKTOP_CHANNELS.setLaunchAtLogin, dashboardFrame, true)).toBe(true);
    expect(app.loginItem.openAtLogin).toBe(true);
    expect(await invoke(DESKTOP_CHANNELS.openExternal, dashboardFrame, 'https://kiro.dev/pricing')).toBe(
      true,
    );
    expect(openExternal).toHaveBeenCalledWith('https://kiro.dev/pricing');
  });

  it('checks the sender before the input: a stranger with bad input is refused as a stranger', async () => {
    const { invoke } = setup();
    const strangers = [
      { url: 'http://127.0.0.1:9999/dashboard/', parent: null },
      { url: 'https://evil.example/', parent: null },
      { url: `${ORIGIN}/dashboard/`, parent: { url: 'https://evil.example/' } },
      { url: 'not a url', parent: null },
      null,
    ];
    for (const frame of strangers)
      await expect(invoke(DESKTOP_CHANNELS.setLaunchAtLogin, frame, 'yes please')).rejects.toBeInstanceOf(
        RefusedSenderError,
      );
    await expect(
      invoke(DESKTOP_CHANNELS.setLaunchAtLogin, dashboardFrame, 'yes please'),
    ).rejects.toBeInstanceOf(TypeError);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('refuses everyone while the proxy is stopped', async () => {
    const { invoke } = setup({ stopped: true });
    await expect(invoke(DESKTOP_CHANNELS.getLaunchAtLogin, dashboardFrame)).rejects.toBeInstanceOf(
      RefusedSenderError,
    );
  });

  it("takes the dashboard's language for the tray, and nothing but a known one", async () => {
    const { invoke, setLanguage } = setup();
    await invoke(DESKTOP_CHANNELS.setLanguage, dashboardFrame, 'zh');
    expect(setLanguage).toHaveBeenCalledWith('zh');
    for (const bad of ['fr', 42, undefined])
      await expect(invoke(DESKTOP_CHANNELS.setLanguage, dashboardFrame, bad)).rejects.toBeInstanceOf(
        TypeError,
      );
    await expect(
      invoke(DESKTOP_CHANNELS.setLanguage, { url: 'https://evil.example/', parent: null }, 'en'),
    ).rejects.toBeInstanceOf(RefusedSenderError);
    expect(setLanguage).toHaveBeenCalledTimes(1);
  });

  it('opens allowlisted https links only', async () => {
    const { invoke, openExternal } = setup();
    for (const url of ['http://kiro.dev/', 'https://kiro.dev.evil.example/', 'javascript:alert(1)', 42])
      expect(await invoke(DESKTOP_CHANNELS.openExternal, dashboardFrame, url)).toBe(false);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('removes its handlers', () => {
    const { unregister } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(Object.values(DESKTOP_CHANNELS).sort());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });
});
