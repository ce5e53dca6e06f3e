import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DESKTOP_BRIDGE_GLOBAL, type DesktopBridge } from '../../../shared/desktopBridge.ts';
import { app, contextBridge, ipcMain, ipcRenderer, resetFakeElectron } from './fakeElectron.ts';

vi.mock('electron', () => import('./fakeElectron.ts'));

const { createLaunchAtLogin } = await import('../../../electron/main/launchAtLogin.ts');
const { registerDesktopIpc } = await import('../../../electron/main/desktopIpc.ts');

const ORIGIN = 'http://127.0.0.1:8765';

await import('../../../electron/preload/index.ts');
/** What the preload put on the page's window when it ran. */
const exposedToPage = new Map(contextBridge.exposed);

/** The preload as the page sees it, wired to the main process's real handlers. */
async function dashboardBridge() {
  const openExternal = vi.fn<(url: string) => Promise<void>>(() => Promise.resolve());
  const setLanguage = vi.fn<(language: string) => void>();
  registerDesktopIpc({
    ipcMain,
    dashboardOrigin: () => ORIGIN,
    launchAtLogin: createLaunchAtLogin(app, 'darwin'),
    openExternal,
    setLanguage,
  });
  const bridge = exposedToPage.get(DESKTOP_BRIDGE_GLOBAL) as DesktopBridge;
  return { bridge, openExternal, setLanguage };
}

beforeEach(() => resetFakeElectron());

describe('preload', () => {
  it('gives the page exactly the desktop bridge, and nothing else on the window', async () => {
    const { bridge } = await dashboardBridge();
    expect([...exposedToPage.keys()]).toEqual([DESKTOP_BRIDGE_GLOBAL]);
    expect(Object.keys(bridge).sort()).toEqual([
      'getLaunchAtLogin',
      'openExternal',
      'setLanguage',
      'setLaunchAtLogin',
    ]);
    expect(Object.values(bridge).every((value) => typeof value === 'function')).toBe(true);
  });

  it('carries each call to the main process and its answer back', async () => {
    const { bridge, openExternal, setLanguage } = await dashboardBridge();
    expect(await bridge.getLaunchAtLogin()).toBe(false);
    expect(await bridge.setLaunchAtLogin(true)).toBe(true);
    expect(app.loginItem.openAtLogin).toBe(true);
    expect(await bridge.getLaunchAtLogin()).toBe(true);
    expect(await bridge.openExternal('https://kiro.dev/')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://kiro.dev/');
    await bridge.setLanguage('zh');
    expect(setLanguage).toHaveBeenCalledWith('zh');
  });

  it('sends only plain values, so a page cannot hand the main process an object posing as one', async () => {
    const { bridge, openExternal } = await dashboardBridge();
    // A truthy object is not `true`, and an object with its own toString becomes the text it gives.
    expect(await bridge.setLaunchAtLogin({ valueOf: () => true } as unknown as boolean)).toBe(false);
    expect(app.loginItem.openAtLogin).toBe(false);
    const disguised = { toString: () => 'https://kiro.dev/' } as unknown as string;
    expect(await bridge.openExternal(disguised)).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://kiro.dev/');
    expect(await bridge.openExternal('file:///etc/passwd')).toBe(false);
    await expect(bridge.setLanguage('fr')).rejects.toThrow(/setLanguage takes one of/);
  });

  it('is refused for a page that is not this proxy’s dashboard', async () => {
    const { bridge } = await dashboardBridge();
    ipcRenderer.frame = { url: 'https://example.com/', parent: null };
    await expect(bridge.getLaunchAtLogin()).rejects.toThrow(/does not come from the Kiro Dock dashboard/);
    ipcRenderer.frame = { url: `${ORIGIN}/dashboard/`, parent: {} };
    await expect(bridge.setLaunchAtLogin(true)).rejects.toThrow(/does not come from the Kiro Dock dashboard/);
    expect(app.loginItem.openAtLogin).toBe(false);
  });
});
