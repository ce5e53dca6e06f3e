/**
 * The dashboard's window onto the desktop: exactly the DesktopBridge methods, each one IPC call whose sender the
 * main process checks. Bundled into one CommonJS file, as sandboxed preloads require; nothing of Electron or
 * Node reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_BRIDGE_GLOBAL, DESKTOP_CHANNELS, type DesktopBridge } from '../../shared/desktopBridge.ts';

const desktopBridge: DesktopBridge = {
  getLaunchAtLogin: () => ipcRenderer.invoke(DESKTOP_CHANNELS.getLaunchAtLogin) as Promise<boolean>,
  setLaunchAtLogin: (enabled) =>
    ipcRenderer.invoke(DESKTOP_CHANNELS.setLaunchAtLogin, enabled === true) as Promise<boolean>,
  openExternal: (url) => ipcRenderer.invoke(DESKTOP_CHANNELS.openExternal, String(url)) as Promise<boolean>,
  setLanguage: (language) =>
    ipcRenderer.invoke(DESKTOP_CHANNELS.setLanguage, String(language)) as Promise<void>,
};

contextBridge.exposeInMainWorld(DESKTOP_BRIDGE_GLOBAL, desktopBridge);
