/**
 * When the desktop app looks for a new version, what the tray says about it and what it tells the user. Plain
 * Node: desktopUpdater.ts feeds it electron-updater's events and does what it decides.
 *
 * An update is never installed under a running answer: it is downloaded in the background, and installed only
 * by the draining quit (answers in flight finish first), on the next quit or from the tray's "Restart to update".
 */
import type { DesktopNotice } from './accountNotifications.ts';

/** Remembered across restarts; on unless the user turns it off. */
export const SETTING_AUTO_UPDATE = 'desktopAutoUpdate';
/** Not during start-up, when the proxy and the keychain are busy. */
export const FIRST_CHECK_DELAY_MS = 60_000;
export const CHECK_INTERVAL_MS = 6 * 60 * 60 * 1_000;

export type UpdateState =
  | { kind: 'unsupported'; reason: string }
  | { kind: 'idle' }
  | { kind: 'checking'; manual: boolean }
  | { kind: 'downloading'; version: string; manual: boolean }
  | { kind: 'ready'; version: string }
  | { kind: 'failed'; message: string };

export interface UpdateHost {
  isPackaged: boolean;
  platform: NodeJS.Platform;
  /** The update feed electron-builder wrote into the app (resources/app-update.yml) exists. */
  hasFeed: boolean;
}

/** electron-updater installs NSIS (Windows), zip (macOS) and deb builds; a run from source has no feed. */
export function initialUpdateState(host: UpdateHost): UpdateState {
  if (!host.isPackaged) return { kind: 'unsupported', reason: 'updates come with the installed app' };
  if (!['darwin', 'win32', 'linux'].includes(host.platform))
    return { kind: 'unsupported', reason: `no updates for ${host.platform}` };
  if (!host.hasFeed) return { kind: 'unsupported', reason: 'this build has no update feed' };
  return { kind: 'idle' };
}

/** What electron-updater reported, reduced to what the policy needs. */
export type UpdateEvent =
  | { kind: 'checking' }
  | { kind: 'available'; version: string }
  | { kind: 'not-available'; currentVersion: string }
  | { kind: 'downloaded'; version: string }
  | { kind: 'error'; message: string };

export interface UpdateStep {
  state: UpdateState;
  notice?: DesktopNotice;
}

/** The next state and the notification, if any: quiet for automatic checks unless an update is ready. */
export function nextUpdateState(state: UpdateState, event: UpdateEvent, manual: boolean): UpdateStep {
  switch (event.kind) {
    case 'checking':
      return { state: { kind: 'checking', manual } };
    case 'available':
      return {
        state: { kind: 'downloading', version: event.version, manual },
        ...(manual && {
          notice: { title: `Downloading Kiro Dock ${event.version}`, body: 'You are told when it is ready.' },
        }),
      };
    case 'not-available':
      return {
        state: { kind: 'idle' },
        ...(manual && {
          notice: {
            title: 'Kiro Dock is up to date',
            body: `Version ${event.currentVersion} is the newest.`,
          },
        }),
      };
    case 'downloaded':
      return {
        state: { kind: 'ready', version: event.version },
        notice: {
          title: `Kiro Dock ${event.version} is ready`,
          body: 'It is installed when you quit, after answers in progress finish. Or choose Restart to update in the tray menu.',
        },
      };
    case 'error':
      // A ready update stays ready: a later failed check does not lose it.
      if (state.kind === 'ready') return { state };
      return {
        state: { kind: 'failed', message: event.message },
        ...(manual && {
          notice: {
            title: 'Could not check for updates',
            body: `${event.message}. Check the network and try again from the tray menu.`,
          },
        }),
      };
  }
}

/** Whether a check may start now: not twice at once, not while a ready update waits. */
export function mayCheck(state: UpdateState): boolean {
  return state.kind === 'idle' || state.kind === 'failed';
}

/** The tray's label for the update entry and whether it can be chosen. */
export function updateMenuEntry(state: UpdateState): { label: string; enabled: boolean; restart: boolean } {
  switch (state.kind) {
    case 'unsupported':
      return { label: 'Check for updates (installed app only)', enabled: false, restart: false };
    case 'checking':
      return { label: 'Checking for updates…', enabled: false, restart: false };
    case 'downloading':
      return { label: `Downloading ${state.version}…`, enabled: false, restart: false };
    case 'ready':
      return { label: `Restart to update to ${state.version}`, enabled: true, restart: true };
    case 'idle':
    case 'failed':
      return { label: 'Check for updates…', enabled: true, restart: false };
  }
}
