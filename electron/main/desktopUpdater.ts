/**
 * electron-updater, wired to the update policy: checks GitHub Releases (the feed electron-builder wrote into the
 * app) a minute after start and every six hours while "Update automatically" is on, or when the tray asks;
 * downloads in the background; installs only when the draining quit hands over the exit.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger, SettingsStore } from '../core/ports.ts';
import type { DesktopNotice } from './accountNotifications.ts';
import {
  CHECK_INTERVAL_MS,
  FIRST_CHECK_DELAY_MS,
  initialUpdateState,
  mayCheck,
  nextUpdateState,
  SETTING_AUTO_UPDATE,
  updateMenuEntry,
  type UpdateEvent,
  type UpdateHost,
  type UpdateState,
} from './updatePolicy.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

/** The part of electron-updater's AppUpdater this uses. */
export interface UpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: {
    info(message?: unknown): void;
    warn(message?: unknown): void;
    error(message?: unknown): void;
  } | null;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'checking-for-update', listener: () => void): unknown;
  on(
    event: 'update-available' | 'update-not-available' | 'update-downloaded',
    listener: (info: { version: string }) => void,
  ): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * electron-updater reads the app's feed and requires Electron itself, so it is loaded only by an installed app
 * that has a feed; elsewhere an updater that is never asked to do anything stands in.
 */
export async function loadUpdater(hasFeed: boolean): Promise<UpdaterPort> {
  if (hasFeed) return (await import('electron-updater')).default.autoUpdater;
  return {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    logger: null,
    checkForUpdates: () => Promise.resolve(null),
    quitAndInstall: () => undefined,
    on: () => undefined,
  };
}

export interface DesktopUpdaterOptions {
  updater: UpdaterPort;
  host: UpdateHost;
  settings: SettingsStore;
  logger: Logger;
  notify(notice: DesktopNotice): void;
  /** The tray follows the state. */
  onChange(): void;
}

export interface DesktopUpdater {
  start(): void;
  /** The tray's "Check for updates…": notifies of the outcome, whichever it is. */
  checkNow(): void;
  state(): UpdateState;
  automatic(): boolean;
  setAutomatic(enabled: boolean): void;
  trayEntry(): { label: string; enabled: boolean; automatic: boolean };
  /** Called by the quit sequence once answers have drained: true when the installer took over the exit. */
  installIfReady(): boolean;
  dispose(): void;
}

/** Where electron-builder puts the feed's address inside a packaged app. */
export function hasUpdateFeed(resourcesPath: string): boolean {
  return existsSync(path.join(resourcesPath, 'app-update.yml'));
}

export function createDesktopUpdater(options: DesktopUpdaterOptions): DesktopUpdater {
  const { updater, settings, logger } = options;
  let state = initialUpdateState(options.host);
  let manual = false;
  const timers: NodeJS.Timeout[] = [];
  const automatic = () => settings.get<boolean>(SETTING_AUTO_UPDATE) ?? true;

  configureUpdater(updater, logger);
  followUpdater(updater, (event) => {
    const step = nextUpdateState(state, event, manual);
    state = step.state;
    if (step.notice) options.notify(step.notice);
    options.onChange();
  });

  function check(asked: boolean): void {
    if (!mayCheck(state)) return;
    manual = asked;
    // Failures arrive as the 'error' event too; the rejection only needs catching.
    updater.checkForUpdates().catch((error: unknown) => logger.warn({ err: error }, 'update check failed'));
  }

  return {
    start() {
      if (state.kind === 'unsupported') return;
      timers.push(
        setTimeout(() => automatic() && check(false), FIRST_CHECK_DELAY_MS),
        setInterval(() => automatic() && check(false), CHECK_INTERVAL_MS),
      );
    },
    checkNow: () => check(true),
    state: () => state,
    automatic,
    setAutomatic(enabled) {
      settings.set(SETTING_AUTO_UPDATE, enabled);
      options.onChange();
    },
    trayEntry: () => ({ ...updateMenuEntry(state), automatic: automatic() }),
    installIfReady() {
      if (state.kind !== 'ready') return false;
      logger.info({ version: state.version }, 'installing the downloaded update');
      // Silent (the user chose it already) and started again afterwards, as before the update.
      updater.quitAndInstall(true, true);
      return true;
    },
    dispose() {
      for (const timer of timers) clearTimeout(timer);
      timers.length = 0;
    },
  };
}

function configureUpdater(updater: UpdaterPort, logger: Logger): void {
  // Installing is the quit sequence's last step, after the drain; electron-updater must not do it on its own.
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = false;
  updater.logger = {
    info: (message) => logger.info({}, `updater: ${String(message)}`),
    warn: (message) => logger.warn({}, `updater: ${String(message)}`),
    error: (message) => logger.error({}, `updater: ${String(message)}`),
  };
}

/** electron-updater's events, as the policy's. */
function followUpdater(updater: UpdaterPort, apply: (event: UpdateEvent) => void): void {
  updater.on('checking-for-update', () => apply({ kind: 'checking' }));
  updater.on('update-available', (info) => apply({ kind: 'available', version: info.version }));
  updater.on('update-not-available', (info) =>
    apply({ kind: 'not-available', currentVersion: info.version }),
  );
  updater.on('update-downloaded', (info) => apply({ kind: 'downloaded', version: info.version }));
  updater.on('error', (error) => apply({ kind: 'error', message: errorMessage(error) }));
}

/** The updater and the tray it refreshes, which exists only later (the tray is built after the updater). */
export interface DesktopUpdaterSlot {
  updater: DesktopUpdater;
  refresh(): void;
}

export interface OpenUpdaterOptions {
  app: { isPackaged: boolean };
  platform: NodeJS.Platform;
  settings: SettingsStore;
  logger: Logger;
  notify(notice: DesktopNotice): void;
  /** Default: electron-updater's, loaded only in an installed app with a feed. */
  updater?: UpdaterPort;
  resourcesPath?: string;
}

export async function openDesktopUpdater(options: OpenUpdaterOptions): Promise<DesktopUpdaterSlot> {
  const { isPackaged } = options.app;
  const hasFeed = isPackaged && hasUpdateFeed(options.resourcesPath ?? process.resourcesPath);
  const updater = options.updater ?? (await loadUpdater(hasFeed));
  const slot: DesktopUpdaterSlot = {
    refresh: () => undefined,
    updater: createDesktopUpdater({
      updater,
      host: { isPackaged, platform: options.platform, hasFeed },
      settings: options.settings,
      logger: options.logger,
      notify: options.notify,
      onChange: () => slot.refresh(),
    }),
  };
  return slot;
}
