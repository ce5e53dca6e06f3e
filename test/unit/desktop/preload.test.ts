import { describe, expect, it, vi } from 'vitest';
import {
  DESKTOP_BRIDGE_GLOBAL,
  DESKTOP_CHANNELS,
  type DesktopBridge,
} from '../../../shared/desktopBridge.ts';
import { contextBridge, ipcRenderer } from './fakeElectron.ts';

vi.mock('electron', () => import('./fakeElectron.ts'));

describe('preload', () => {
  it('exposes exactly the desktop bridge, each method one invoke on its channel', async () => {
    ipcRenderer.invoke.mockResolvedValue(true);
    await import('../../../electron/preload/index.ts');
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = contextBridge.exposeInMainWorld.mock.calls[0]!;
    expect(name).toBe(DESKTOP_BRIDGE_GLOBAL);
    const bridge = api as DesktopBridge;
    expect(Object.keys(bridge).sort()).toEqual([
      'getLaunchAtLogin',
      'openExternal',
      'setLanguage',
      'setLaunchAtLogin',
    ]);
    expect(Object.values(bridge).every((value) => typeof value === 'function')).toBe(true);

    await bridge.getLaunchAtLogin();
    await bridge.setLaunchAtLogin(true);
    await bridge.openExternal('https://kiro.dev/');
    await bridge.setLanguage('zh');
    expect(ipcRenderer.invoke.mock.calls).toEqual([
      [DESKTOP_CHANNELS.getLaunchAtLogin],
      [DESKTOP_CHANNELS.setLaunchAtLogin, true],
      [DESKTOP_CHANNELS.openExternal, 'https://kiro.dev/'],
      [DESKTOP_CHANNELS.setLanguage, 'zh'],
    ]);
  });
});
