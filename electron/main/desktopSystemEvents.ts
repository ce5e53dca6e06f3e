/**
 * What the OS says to the desktop app besides the user's clicks: waking up and unlocking (tokens and timers are
 * re-checked at once), and the session ending, which on Windows never emits before-quit and must still drain.
 * Also the minimal application menu, set once. Only wiring: quitSequence.ts and appMenu.ts decide.
 */
import { Menu, powerMonitor } from 'electron';
import type { Core } from '../core/index.ts';
import { appMenuTemplate } from './appMenu.ts';
import type { QuitEvent, QuitSequence } from './quitSequence.ts';

export interface SystemEventParts {
  core: Pick<Core, 'resumedFromSleep'>;
  quit: Pick<QuitSequence, 'onSystemShutdown'>;
  /** After a wake the tray's numbers may have moved. */
  refreshTray(): void;
}

/** Replaces Electron's default menu, whose View menu offers Reload and the developer tools. */
export function installAppMenu(platform: NodeJS.Platform): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(platform)));
}

/** Listens until the returned function is called. powerMonitor is usable only once the app is ready. */
export function followSystemEvents(parts: SystemEventParts): () => void {
  // The core notices a wake by itself within seconds; the OS's word makes the re-check immediate. A screen
  // unlock often follows a sleep the process did not see as one (macOS App Nap, Windows modern standby).
  const onWake = () => {
    parts.core.resumedFromSleep();
    parts.refreshTray();
  };
  // macOS and Linux: preventDefault asks the OS to wait while the quit drains.
  // (Electron passes the event although its typings declare none.)
  const onShutdown = (...args: unknown[]) => parts.quit.onSystemShutdown(args[0] as QuitEvent | undefined);
  powerMonitor.on('resume', onWake);
  powerMonitor.on('unlock-screen', onWake);
  powerMonitor.on('shutdown', onShutdown);
  return () => {
    powerMonitor.off('resume', onWake);
    powerMonitor.off('unlock-screen', onWake);
    powerMonitor.off('shutdown', onShutdown);
  };
}
