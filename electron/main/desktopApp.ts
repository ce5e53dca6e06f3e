/**
 * The desktop host, assembled: real ports (OS keychain, settings in userData) → the core → the proxy's listener,
 * the tray, the dashboard window, the desktop bridge, notifications and a draining quit. Everything with logic
 * lives in its own module; this file only connects them.
 */
import path from 'node:path';
import { app, ipcMain, Notification, powerMonitor, shell } from 'electron';
import { proxyBaseUrl } from '../core/config/claudeCodeSetup.ts';
import { createLogger } from '../core/logging/createLogger.ts';
import type { Core } from '../core/index.ts';
import type { Logger, SecretStore, SettingsStore } from '../core/ports.ts';
import { createHostCore } from '../hostCore.ts';
import { defaultKiroAuthDir } from '../hostPaths.ts';
import { openSecretStore, openSettings, type SecretStoreChoice } from '../hostStores.ts';
import { followAccountNotifications, portInUseNotice, type DesktopNotice } from './accountNotifications.ts';
import { createDashboardWindow, type DashboardWindow } from './dashboardWindow.ts';
import { dashboardDirOf, DESKTOP_APP_ID, preloadPathOf } from './desktopBundle.ts';
import { registerDesktopIpc } from './desktopIpc.ts';
import { desktopLanguageOf, type DesktopLanguage } from './trayTexts.ts';
import { desktopTrayActions } from './desktopTrayActions.ts';
import { createLaunchAtLogin, type LaunchAtLogin } from './launchAtLogin.ts';
import { createProxyController, type ProxyController } from './proxyController.ts';
import { createQuitSequence } from './quitSequence.ts';
import { createTrayController, type TrayController } from './trayController.ts';
import { resourcesRoot, trayIconPath } from './trayIcons.ts';
import { readTrayStatus } from './trayStatus.ts';

/** Requests-today has no event of its own; the tray re-reads it at this pace. */
const STATS_REFRESH_MS = 30_000;

const NO_KEYCHAIN_WARNING = 'No system keychain: account secrets are kept only until Kiro Dock quits';

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
}

export interface DesktopApp {
  showDashboard(): void;
}

interface DesktopStores {
  settings: SettingsStore;
  secrets: SecretStore;
  /** Set when the OS keychain was missing and secrets live in memory. */
  keychainWarning?: string;
}

async function openDesktopStores(dataDir: string, choice: SecretStoreChoice): Promise<DesktopStores> {
  let keychainWarning: string | undefined;
  const secrets = await openSecretStore(choice, dataDir, () => (keychainWarning = NO_KEYCHAIN_WARNING));
  const settings = await openSettings(dataDir);
  return { settings, secrets, ...(keychainWarning && { keychainWarning }) };
}

function desktopLogger(settings: SettingsStore, env: NodeJS.ProcessEnv): Logger {
  return createLogger({
    level: env['KIRO_DOCK_LOG_LEVEL'] ?? settings.get<string>('logLevel') ?? 'info',
    file: settings.get<string>('logFile') ?? path.join(app.getPath('logs'), 'kiro-dock.log'),
  });
}

function showNotice(notice: DesktopNotice): void {
  if (Notification.isSupported()) new Notification({ title: notice.title, body: notice.body }).show();
}

export async function startDesktopApp(options: DesktopAppOptions = {}): Promise<DesktopApp> {
  const env = options.env ?? process.env;
  const dataDir = app.getPath('userData');
  // Without it Windows attributes notifications to no installed app and drops them.
  if (process.platform === 'win32') app.setAppUserModelId(DESKTOP_APP_ID);
  const stores = await openDesktopStores(dataDir, options.secretStore ?? 'auto');
  const logger = options.logger ?? desktopLogger(stores.settings, env);
  const { core } = await createHostCore({
    ...stores,
    logger,
    env,
    version: app.getVersion(),
    kiroAuthDir: options.kiroAuthDir ?? defaultKiroAuthDir(),
    dashboardDir: dashboardDirOf(app.getAppPath()),
  });
  await core.start();
  if (stores.keychainWarning)
    showNotice({
      title: 'Kiro Dock',
      body: `${stores.keychainWarning}. Sign-ins must be repeated after a restart.`,
    });
  const proxy = createProxyController({
    core,
    settings: stores.settings,
    logger,
    onPortInUse: (error) =>
      showNotice(portInUseNotice(error.host, error.port, path.join(dataDir, 'settings.json'))),
  });
  const launchAtLogin = createLaunchAtLogin(app);
  // The OS's language until the dashboard says which one the user chose.
  const language = { current: desktopLanguageOf(Intl.DateTimeFormat().resolvedOptions().locale) };
  const window = wireDesktop({ core, proxy, launchAtLogin, stores, logger, env, language });
  await proxy.startIfRemembered();
  return { showDashboard: () => window.show() };
}

interface DesktopParts {
  core: Core;
  proxy: ProxyController;
  launchAtLogin: LaunchAtLogin;
  stores: DesktopStores;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** What the tray and notifications speak; the dashboard changes it. */
  language: { current: DesktopLanguage };
}

function wireDesktop(parts: DesktopParts): DashboardWindow {
  const { core, proxy } = parts;
  const dashboardOrigin = () => {
    const listening = proxy.listening();
    return listening && proxyBaseUrl(listening);
  };
  let quitting = false;
  const window = createDashboardWindow({
    preloadPath: preloadPathOf(import.meta.dirname),
    dashboardOrigin,
    mintLogin: () => core.mintDashboardLogin(),
    isQuitting: () => quitting,
    logger: parts.logger,
  });
  const tray = createDesktopTray(parts, window, dashboardOrigin);
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
  installQuit(parts, {
    started: () => (quitting = true),
    dispose: () => {
      stopFollowing();
      stopIpc();
      tray.dispose();
      core.dispose();
    },
  });
  installAppLifecycle(window);
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
  const { core, proxy, launchAtLogin } = parts;
  const tray: TrayController = createTrayController({
    iconPath: (state) => trayIconPath(resourcesRoot(app), state),
    status: () =>
      readTrayStatus({
        core,
        problem: () => proxy.problem(),
        warning: () => parts.stores.keychainWarning,
        launchAtLogin: () => (launchAtLogin.supported ? launchAtLogin.get() : undefined),
        now: () => Date.now(),
        language: () => parts.language.current,
      }),
    actions: desktopTrayActions({
      ...parts,
      secrets: parts.stores.secrets,
      window,
      dashboardOrigin,
      refreshTray: () => tray.refresh(),
    }),
  });
  return tray;
}

/** Rebuilds the tray on what changes it and notifies on account trouble; returns the function that stops it. */
function followCore(parts: DesktopParts, tray: TrayController, window: DashboardWindow): () => void {
  const { pool } = parts.core.accounts;
  const stops = [
    pool.onEvent(() => tray.refresh()),
    parts.core.settings.onChange(() => tray.refresh()),
    followAccountNotifications(pool, showNotice, () => parts.language.current),
    parts.proxy.onChange(() => {
      tray.refresh();
      window.proxyChanged();
    }),
  ];
  // The core notices a wake by itself within seconds; the OS's word makes the re-check immediate.
  const onResume = () => {
    parts.core.resumedFromSleep();
    tray.refresh();
  };
  powerMonitor.on('resume', onResume);
  const statsTimer = setInterval(() => tray.refresh(), STATS_REFRESH_MS);
  return () => {
    clearInterval(statsTimer);
    powerMonitor.off('resume', onResume);
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

function installQuit(parts: DesktopParts, steps: { started(): void; dispose(): void }): void {
  const quit = createQuitSequence({
    logger: parts.logger,
    drain: (drainMs) => {
      // From here on a closed window really closes: nothing may hold the exit back.
      steps.started();
      return parts.proxy.shutdown(drainMs);
    },
    dispose: steps.dispose,
    // conf writes each change atomically as it is made: no settings are pending at this point.
    flush: () => undefined,
    exit: (code) => app.exit(code),
  });
  app.on('before-quit', (event) => quit.onBeforeQuit(event));
}
