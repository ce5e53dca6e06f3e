/**
 * The main side of the desktop bridge. Every handler first checks who is asking — the top frame of the
 * dashboard served by this proxy, nothing else — and only then looks at the arguments.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { DESKTOP_CHANNELS, isAllowedExternalLink } from '../../shared/desktopBridge.ts';
import type { LaunchAtLogin } from './launchAtLogin.ts';
import { DESKTOP_LANGUAGES, type DesktopLanguage } from './trayTexts.ts';

export interface DesktopIpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  /** The dashboard's origin (`http://127.0.0.1:8765`) while the proxy listens, else undefined. */
  dashboardOrigin(): string | undefined;
  launchAtLogin: LaunchAtLogin;
  openExternal(url: string): Promise<void>;
  /** The tray and notifications switch to the dashboard's language. */
  setLanguage(language: DesktopLanguage): void;
}

export class RefusedSenderError extends Error {
  constructor() {
    super('This request does not come from the Kiro Dock dashboard.');
    this.name = 'RefusedSenderError';
  }
}

/** True when the event comes from the dashboard's own top frame. */
export function isDashboardSender(event: IpcMainInvokeEvent, origin: string | undefined): boolean {
  const frame = event.senderFrame;
  if (!origin || !frame || frame.parent !== null) return false;
  try {
    return new URL(frame.url).origin === origin;
  } catch {
    return false;
  }
}

/** Registers the handlers; returns a function that removes them. */
export function registerDesktopIpc(options: DesktopIpcOptions): () => void {
  const handle = (channel: string, handler: (...args: unknown[]) => unknown) =>
    options.ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!isDashboardSender(event, options.dashboardOrigin())) throw new RefusedSenderError();
      return handler(...args);
    });

  handle(DESKTOP_CHANNELS.getLaunchAtLogin, () => options.launchAtLogin.get());
  handle(DESKTOP_CHANNELS.setLaunchAtLogin, (enabled) => {
    if (typeof enabled !== 'boolean') throw new TypeError('setLaunchAtLogin takes true or false.');
    return options.launchAtLogin.set(enabled);
  });
  handle(DESKTOP_CHANNELS.openExternal, async (url) => {
    if (typeof url !== 'string' || !isAllowedExternalLink(url)) return false;
    await options.openExternal(url);
    return true;
  });
  handle(DESKTOP_CHANNELS.setLanguage, (language) => {
    if (!DESKTOP_LANGUAGES.includes(language as DesktopLanguage)) {
      throw new TypeError(`setLanguage takes one of ${DESKTOP_LANGUAGES.join(', ')}.`);
    }
    options.setLanguage(language as DesktopLanguage);
  });
  return () => {
    for (const channel of Object.values(DESKTOP_CHANNELS)) options.ipcMain.removeHandler(channel);
  };
}
