/**
 * The desktop host, assembled: real ports (OS keychain, settings in userData) → the core → the proxy's listener,
 * the tray, the dashboard window, the desktop bridge, notifications and a draining quit. Everything with logic
 * lives in its own module; this file only connects them.
 */
import path from 'node:path';
import { app, clipboard, ipcMain, Notification, shell } from 'electron';
import { claudeCodeSetupView, proxyBaseUrl } from '../core/config/claudeCodeSetup.ts';
import { resolveClientKey } from '../core/config/clientKey.ts';
import { createLogger } from '../core/logging/createLogger.ts';
import type { Core } from '../core/index.ts';
import type { Logger, SecretStore, SettingsStore } from '../core/ports.ts';
import { createHostCore } from '../hostCore.ts';
import { claudeSettingsPath, defaultKiroAuthDir } from '../hostPaths.ts';
import { openSecretStore, openSettings } from '../hostStores.ts';
import { followAccountNotifications, portInUseNotice, type DesktopNotice } from './accountNotifications.ts';
import { createDashboardWindow, type DashboardWindow } from './dashboardWindow.ts';
import { registerDesktopIpc } from './desktopIpc.ts';
import { createLaunchAtLogin, type LaunchAtLogin } from './launchAtLogin.ts';
import { createProxyController, type ProxyController } from './proxyController.ts';
import { createQuitSequence } from './quitSequence.ts';
import { createTrayController, type TrayController } from './trayController.ts';
import { resourcesRoot, trayIconPath } from './trayIcons.ts';
import type { TrayAction } from './trayMenuModel.ts';
import { readTrayStatus } from './trayStatus.ts';

/** Requests-today has no event of its own; the tray re-reads it at this pace. */
const STATS_REFRESH_MS = 30_000;

const NO_KEYCHAIN_WARNING = 'No system keychain: account secrets are kept only until Kiro Dock quits';

export interface DesktopApp {
  showDashboard(): void;
}

interface DesktopStores {
  settings: SettingsStore;
  secrets: SecretStore;
  /** Set when the OS keychain was missing and secrets live in memory. */
  keychainWarning?: string;
}

async function openDesktopStores(dataDir: string): Promise<DesktopStores> {
  let keychainWarning: string | undefined;
  const secrets = await openSecretStore('auto', dataDir, () => (keychainWarning = NO_KEYCHAIN_WARNING));
  const settings = await openSettings(dataDir);
  return { settings, secrets, ...(keychainWarning && { keychainWarning }) };
}

function showNotice(notice: DesktopNotice): void {
  if (Notification.isSupported()) new Notification({ title: notice.title, body: notice.body }).show();
}

export async function startDesktopApp(): Promise<DesktopApp> {
  const dataDir = app.getPath('userData');
  const stores = await openDesktopStores(dataDir);
  const logger = createLogger({
    level: process.env['KIRO_DOCK_LOG_LEVEL'] ?? stores.settings.get<string>('logLevel') ?? 'info',
    file: stores.settings.get<string>('logFile') ?? path.join(app.getPath('logs'), 'kiro-dock.log'),
  });
  const { core } = await createHostCore({
    ...stores,
    logger,
    version: app.getVersion(),
    kiroAuthDir: defaultKiroAuthDir(),
    // electron-vite writes the dashboard beside the main bundle: out/renderer in the app.
    dashboardDir: path.join(app.getAppPath(), 'out', 'renderer'),
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
  const window = wireDesktop({ core, proxy, launchAtLogin, stores, logger });
  await proxy.startIfRemembered();
  return { showDashboard: () => window.show() };
}

interface DesktopParts {
  core: Core;
  proxy: ProxyController;
  launchAtLogin: LaunchAtLogin;
  stores: DesktopStores;
  logger: Logger;
}

function wireDesktop(parts: DesktopParts): DashboardWindow {
  const { core, proxy } = parts;
  const dashboardOrigin = () => {
    const listening = proxy.listening();
    return listening && proxyBaseUrl(listening);
  };
  let quitting = false;
  const window = createDashboardWindow({
    preloadPath: path.join(import.meta.dirname, '..', 'preload', 'index.cjs'),
    dashboardOrigin,
    mintLogin: () => core.mintDashboardLogin(),
    isQuitting: () => quitting,
    logger: parts.logger,
  });
  const tray = createDesktopTray(parts, window, dashboardOrigin);
  const stopFollowing = followCore(parts, tray, window);
  registerDesktopIpc({
    ipcMain,
    dashboardOrigin,
    launchAtLogin: observedLaunchAtLogin(parts.launchAtLogin, tray),
    openExternal: (url) => shell.openExternal(url),
  });
  installQuit(parts, () => {
    quitting = true;
    stopFollowing();
    tray.dispose();
    core.dispose();
  });
  // The app lives in the tray: a closed window must not end it.
  app.on('window-all-closed', () => undefined);
  return window;
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
      }),
    actions: trayActions(parts, window, dashboardOrigin, () => tray.refresh()),
  });
  return tray;
}

/** Rebuilds the tray on what changes it and notifies on account trouble; returns the function that stops it. */
function followCore(parts: DesktopParts, tray: TrayController, window: DashboardWindow): () => void {
  const { pool } = parts.core.accounts;
  const stops = [
    pool.onEvent(() => tray.refresh()),
    parts.core.settings.onChange(() => tray.refresh()),
    followAccountNotifications(pool, showNotice),
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

function installQuit(parts: DesktopParts, disposeDesktop: () => void): void {
  const quit = createQuitSequence({
    logger: parts.logger,
    drain: (drainMs) => parts.proxy.shutdown(drainMs),
    dispose: disposeDesktop,
    // conf writes each change atomically as it is made: no settings are pending at this point.
    flush: () => undefined,
    exit: (code) => app.exit(code),
  });
  app.on('before-quit', (event) => quit.onBeforeQuit(event));
}

function trayActions(
  parts: DesktopParts,
  window: DashboardWindow,
  dashboardOrigin: () => string | undefined,
  refreshTray: () => void,
): Record<TrayAction, () => void> {
  const { proxy, launchAtLogin, logger } = parts;
  const report = (what: string) => (error: unknown) => logger.warn({ err: error }, `${what} failed`);
  return {
    'toggle-proxy': () => void proxy.toggle().catch(report('switching the proxy')),
    'copy-endpoint': () => {
      const origin = dashboardOrigin();
      if (origin) clipboard.writeText(origin);
    },
    'copy-claude-env': () => void copyClaudeEnv(parts, dashboardOrigin()).catch(report('copying')),
    'open-dashboard': () => window.show(),
    'toggle-launch-at-login': () => {
      launchAtLogin.set(!launchAtLogin.get());
      refreshTray();
    },
    quit: () => app.quit(),
  };
}

/** The same lines the dashboard's Claude Code page shows; the key is read now, as it may have been replaced. */
async function copyClaudeEnv(parts: DesktopParts, baseUrl: string | undefined): Promise<void> {
  if (!baseUrl) return;
  const { key } = await resolveClientKey(parts.stores.secrets, process.env['KIRO_DOCK_API_KEY']);
  const view = await claudeCodeSetupView({ settingsPath: claudeSettingsPath(), baseUrl, clientKey: key });
  clipboard.writeText(`${view.envLines.join('\n')}\n`);
}
