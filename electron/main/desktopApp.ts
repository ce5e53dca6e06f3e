/**
 * The desktop host, assembled: real ports (OS keychain, settings in userData) → the core → the proxy's listener,
 * the tray, the dashboard window, the desktop bridge, notifications and a draining quit. Everything with logic
 * lives in its own module; this file only connects them.
 */
import path from 'node:path';
import { app, ipcMain, Notification, shell } from 'electron';
import { proxyBaseUrl, type Core } from '../core/index.ts';
import type { Logger } from '../core/ports.ts';
import type { SecretStoreChoice } from '../hostStores.ts';
import { followAccountNotifications, portInUseNotice, type DesktopNotice } from './accountNotifications.ts';
import { createDashboardWindow, type DashboardWindow } from './dashboardWindow.ts';
import { DESKTOP_APP_ID, preloadPathOf } from './desktopBundle.ts';
import { startDesktopCore, type DesktopStores } from './desktopHostCore.ts';
import { registerDesktopIpc } from './desktopIpc.ts';
import { desktopLanguageOf, type DesktopLanguage } from './trayTexts.ts';
import { desktopTrayActions } from './desktopTrayActions.ts';
import { openDesktopUpdater, type DesktopUpdaterSlot, type UpdaterPort } from './desktopUpdater.ts';
import { followSystemEvents, installAppMenu } from './desktopSystemEvents.ts';
import {
  createLaunchAtLogin,
  linuxAutostartOf,
  type LaunchAtLogin,
  type LinuxAutostart,
} from './launchAtLogin.ts';
import { createProxyController, type ProxyController } from './proxyController.ts';
import { createQuitSequence, type QuitSequence } from './quitSequence.ts';
import { opensDashboardAtStart } from './startupWindow.ts';
import { createTrayController, type TrayController } from './trayController.ts';
import { resourcesRoot, trayIconPath } from './trayIcons.ts';
import { readTrayStatus } from './trayStatus.ts';

/** Requests-today has no event of its own; the tray re-reads it at this pace. */
const STATS_REFRESH_MS = 30_000;

/** What a run may change from the defaults; the app itself passes nothing. */
export interface DesktopAppOptions {
  /** Read for KIRO_DOCK_API_KEY, KIRO_DOCK_UPSTREAM_URL, KIRO_DOCK_LOG_LEVEL…; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where the Kiro IDE keeps its login; default ~/.aws/sso/cache. */
  kiroAuthDir?: string;
  /** Default 'auto': the OS keychain, else memory (and a notification saying so). */
  secretStore?: SecretStoreChoice;
  /** Default: JSON logs on stderr and in the OS's logs folder. */
  logger?: Logger;
  /** Default process.platform: which OS's rules the desktop follows. */
  platform?: NodeJS.Platform;
  /** Default process.argv: `--hidden` means the session started the app at login. */
  argv?: readonly string[];
  /** Linux launch at login; default ~/.config/autostart and this executable. */
  autostart?: LinuxAutostart;
  /** Default: electron-updater's, loaded only in an installed app. */
  updater?: UpdaterPort;
  /** Where a packaged app's resources are (tray icons, the update feed); default process.resourcesPath. */
  resourcesPath?: string;
}

export interface DesktopApp {
  showDashboard(): void;
}

function showNotice(notice: DesktopNotice): void {
  if (Notification.isSupported()) new Notification({ title: notice.title, body: notice.body }).show();
}

export async function startDesktopApp(options: DesktopAppOptions = {}): Promise<DesktopApp> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const resourcesPath = options.resourcesPath ?? process.resourcesPath;
  const dataDir = app.getPath('userData');
  // Without it Windows attributes notifications to no installed app and drops them.
  if (platform === 'win32') app.setAppUserModelId(DESKTOP_APP_ID);
  installAppMenu(platform);
  const { stores, logger, core } = await startDesktopCore(options, env, dataDir, showNotice);
  const proxy = createProxyController({
    core,
    settings: stores.settings,
    logger,
    onPortInUse: (error) =>
      showNotice(portInUseNotice(error.host, error.port, path.join(dataDir, 'settings.json'))),
  });
  const launchAtLogin = createLaunchAtLogin(
    app,
    platform,
    options.autostart ?? linuxAutostartOf(env, process.execPath),
  );
  const updater = await openDesktopUpdater({
    app,
    platform,
    settings: stores.settings,
    logger,
    notify: showNotice,
    resourcesPath,
    ...(options.updater && { updater: options.updater }),
  });
  // The OS's language until the dashboard says which one the user chose.
  const language = { current: desktopLanguageOf(Intl.DateTimeFormat().resolvedOptions().locale) };
  const parts = {
    core,
    proxy,
    launchAtLogin,
    stores,
    logger,
    env,
    platform,
    updater,
    resourcesPath,
    language,
  };
  const window = wireDesktop(parts);
  await proxy.startIfRemembered();
  if (await opensDashboardAtStart(platform, options.argv ?? process.argv, env)) window.show();
  return { showDashboard: () => window.show() };
}

interface DesktopParts {
  core: Core;
  proxy: ProxyController;
  launchAtLogin: LaunchAtLogin;
  stores: DesktopStores;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  updater: DesktopUpdaterSlot;
  resourcesPath: string;
  /** What the tray and notifications speak; the dashboard changes it. */
  language: { current: DesktopLanguage };
}

/** What the window and the quit sequence share: once quitting, a closed window really closes. */
interface QuitState {
  quitting: boolean;
  quit?: QuitSequence;
}

function createDesktopWindow(
  parts: DesktopParts,
  dashboardOrigin: () => string | undefined,
  state: QuitState,
): DashboardWindow {
  return createDashboardWindow({
    preloadPath: preloadPathOf(import.meta.dirname),
    dashboardOrigin,
    mintLogin: () => parts.core.mintDashboardLogin(),
    isQuitting: () => state.quitting,
    logger: parts.logger,
    onSessionEnd: (phase) => {
      // From here on the window must close when Windows closes it.
      state.quitting = true;
      if (phase === 'ending') state.quit?.onSystemShutdown();
      else state.quit?.onSessionEnd();
    },
  });
}

function wireDesktop(parts: DesktopParts): DashboardWindow {
  const { core, proxy } = parts;
  const dashboardOrigin = () => {
    const listening = proxy.listening();
    return listening && proxyBaseUrl(listening);
  };
  const state: QuitState = { quitting: false };
  const window = createDesktopWindow(parts, dashboardOrigin, state);
  const tray = createDesktopTray(parts, window, dashboardOrigin);
  parts.updater.refresh = () => tray.refresh();
  const stopFollowing = followCore(parts, tray, window);
  const stopIpc = registerDesktopIpc({
    ipcMain,
    dashboardOrigin,
    launchAtLogin: observedLaunchAtLogin(parts.launchAtLogin, tray),
    openExternal: (url) => shell.openExternal(url),
    setLanguage: (next) => {
      if (next === parts.language.current) return;
      parts.language.current = next;
      tray.refresh();
    },
  });
  let stopSystemEvents = () => undefined as void;
  const quit = installQuit(parts, {
    started: () => (state.quitting = true),
    dispose: () => {
      stopSystemEvents();
      stopFollowing();
      stopIpc();
      parts.updater.updater.dispose();
      tray.dispose();
      core.dispose();
    },
  });
  state.quit = quit;
  stopSystemEvents = followSystemEvents({ core, quit, refreshTray: () => tray.refresh() });
  installAppLifecycle(window);
  // Windows announces the session's end to top-level windows only: one must exist from the start.
  if (parts.platform === 'win32') window.prepare();
  parts.updater.updater.start();
  return window;
}

/**
 * The app lives in the tray: a closed window must not end it. On macOS, opening the app again (Finder, Spotlight,
 * the Dock) does not start a second process but activates this one, so that is where the dashboard comes back.
 */
function installAppLifecycle(window: DashboardWindow): void {
  app.on('window-all-closed', () => undefined);
  app.on('activate', () => window.show());
}

function createDesktopTray(
  parts: DesktopParts,
  window: DashboardWindow,
  dashboardOrigin: () => string | undefined,
): TrayController {
  const { core, proxy, launchAtLogin, platform } = parts;
  const tray: TrayController = createTrayController({
    iconPath: (state) => trayIconPath(resourcesRoot(app, parts.resourcesPath), state, platform),
    status: () => ({
      ...readTrayStatus({
        core,
        problem: () => proxy.problem(),
        warning: () => parts.stores.keychainWarning,
        launchAtLogin: () => (launchAtLogin.supported ? launchAtLogin.get() : undefined),
        now: () => Date.now(),
        language: () => parts.language.current,
      }),
      update: parts.updater.updater.trayEntry(),
    }),
    actions: desktopTrayActions({
      ...parts,
      updater: parts.updater.updater,
      secrets: parts.stores.secrets,
      window,
      dashboardOrigin,
      refreshTray: () => tray.refresh(),
    }),
    // macOS opens the menu on a click; Windows (and a Linux host's activation) would otherwise do nothing.
    ...(platform !== 'darwin' && { onClick: () => window.show() }),
  });
  return tray;
}

/** Rebuilds the tray on what changes it and notifies on account trouble; returns the function that stops it. */
function followCore(parts: DesktopParts, tray: TrayController, window: DashboardWindow): () => void {
  const { pool } = parts.core;
  const stops = [
    pool.onEvent(() => tray.refresh()),
    parts.core.settings.onChange(() => tray.refresh()),
    followAccountNotifications(pool, showNotice, () => parts.language.current),
    parts.proxy.onChange(() => {
      tray.refresh();
      window.proxyChanged();
    }),
  ];
  const statsTimer = setInterval(() => tray.refresh(), STATS_REFRESH_MS);
  return () => {
    clearInterval(statsTimer);
    for (const stop of stops) stop();
  };
}

/** The dashboard's switch and the tray's checkbox change the same login item; the tray shows the result. */
function observedLaunchAtLogin(launchAtLogin: LaunchAtLogin, tray: TrayController): LaunchAtLogin {
  return {
    ...launchAtLogin,
    set(enabled) {
      const result = launchAtLogin.set(enabled);
      tray.refresh();
      return result;
    },
  };
}

function installQuit(parts: DesktopParts, steps: { started(): void; dispose(): void }): QuitSequence {
  const quit = createQuitSequence({
    logger: parts.logger,
    drain: (drainMs) => {
      // From here on a closed window really closes: nothing may hold the exit back.
      steps.started();
      return parts.proxy.shutdown(drainMs);
    },
    dispose: steps.dispose,
    // The settings store writes each change atomically as it is made: no settings are pending at this point.
    flush: () => undefined,
    // A downloaded update installs here, after the drain: its installer takes over the exit.
    exit: (code) => {
      if (code === 0 && parts.updater.updater.installIfReady()) return;
      app.exit(code);
    },
  });
  app.on('before-quit', (event) => quit.onBeforeQuit(event));
  return quit;
}
