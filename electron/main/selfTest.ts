/**
 * `--self-test`: what only the installed app on a real OS can prove, checked by the app itself and reported as
 * one JSON line per check; the release workflow runs it after installing each installer (dmg, NSIS, deb). A
 * failed check makes the process exit with 1. Plain Node: the Electron parts are passed in.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger, SecretStore } from '../core/ports.ts';
import type { LaunchAtLogin } from './launchAtLogin.ts';
import type { TrayState } from './trayMenuModel.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

export const SELF_TEST_ARG = '--self-test';
/** Longer than one Windows credential holds (docs/os-keychains.md). */
export const SELF_TEST_SECRET_LENGTH = 3_000;
const LOG_WAIT_MS = 5_000;
const TRAY_STATES: readonly TrayState[] = ['running', 'stopped', 'degraded', 'no-accounts'];

export interface SelfTestCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface SelfTestParts {
  platform: NodeJS.Platform;
  openKeychain(): Promise<SecretStore>;
  /** A logger writing to `logFile` the way the app's logger does. */
  logger: Logger;
  logFile: string;
  notificationsSupported(): boolean;
  launchAtLogin: LaunchAtLogin;
  trayImage(state: TrayState): { isEmpty(): boolean; isTemplateImage(): boolean };
  /** Packaged apps only: where electron-builder wrote app-update.yml. */
  resourcesPath?: string;
  sleep(ms: number): Promise<void>;
}

type Check = () => Promise<string> | string;

export async function runSelfTest(parts: SelfTestParts): Promise<SelfTestCheck[]> {
  const checks: Array<[string, Check]> = [
    ['keychain round trip', () => keychainRoundTrip(parts)],
    ['log file', () => logFileWritten(parts)],
    ['notifications', () => notificationsAvailable(parts)],
    ['launch at login', () => loginItemRoundTrip(parts.launchAtLogin)],
    ['tray icons', () => trayIcons(parts)],
    ...(parts.resourcesPath
      ? [['update feed', () => updateFeed(parts.resourcesPath!)] as [string, Check]]
      : []),
  ];
  const results: SelfTestCheck[] = [];
  for (const [check, run] of checks) {
    try {
      results.push({ check, ok: true, detail: await run() });
    } catch (error) {
      results.push({ check, ok: false, detail: errorMessage(error) });
    }
  }
  return results;
}

export function selfTestExitCode(results: readonly SelfTestCheck[]): number {
  return results.length > 0 && results.every((result) => result.ok) ? 0 : 1;
}

async function keychainRoundTrip(parts: SelfTestParts): Promise<string> {
  const store = await parts.openKeychain();
  const name = `self-test-${randomBytes(6).toString('hex')}`;
  const secret = randomBytes(SELF_TEST_SECRET_LENGTH).toString('base64url').slice(0, SELF_TEST_SECRET_LENGTH);
  try {
    await store.set(name, secret);
    const readBack = await store.get(name);
    if (readBack !== secret)
      throw new Error(`a ${secret.length}-character secret read back as ${readBack?.length ?? 'nothing'}`);
  } finally {
    await store.delete(name);
  }
  if ((await store.get(name)) !== undefined)
    throw new Error('the test secret is still there after deleting it');
  return `${store.kind}: stored, read back and deleted a ${SELF_TEST_SECRET_LENGTH}-character secret`;
}

async function logFileWritten(parts: SelfTestParts): Promise<string> {
  const marker = `self-test-${randomBytes(6).toString('hex')}`;
  parts.logger.info({ marker }, 'self-test log line');
  const folder = path.dirname(parts.logFile);
  for (let waited = 0; waited <= LOG_WAIT_MS; waited += 100) {
    const found = logFilesIn(folder, parts.logFile).find((file) =>
      readFileSync(file, 'utf8').includes(marker),
    );
    if (found) return `written to ${found}`;
    await parts.sleep(100);
  }
  throw new Error(`no log line reached ${parts.logFile} within ${LOG_WAIT_MS} ms`);
}

/** The log rolls into numbered files (kiro-dock.1.log…) beside the configured name. */
function logFilesIn(folder: string, logFile: string): string[] {
  if (!existsSync(folder)) return [];
  const stem = path.basename(logFile, path.extname(logFile));
  return readdirSync(folder)
    .filter((name) => name.startsWith(stem))
    .map((name) => path.join(folder, name));
}

function notificationsAvailable(parts: SelfTestParts): string {
  if (!parts.notificationsSupported()) throw new Error('Notification.isSupported() is false');
  return 'supported';
}

function loginItemRoundTrip(launchAtLogin: LaunchAtLogin): string {
  if (!launchAtLogin.supported) throw new Error('launch at login is not supported here');
  const before = launchAtLogin.get();
  try {
    // macOS registers the item at once but may hold it until the user approves it: that is as far as an app gets.
    if (!launchAtLogin.set(true) && launchAtLogin.status?.() === 'requires-approval') {
      launchAtLogin.set(false);
      return 'registered; macOS waits for the user to allow it in System Settings → Login Items';
    }
    if (!launchAtLogin.get()) throw new Error('the login item is not on after turning it on');
    if (launchAtLogin.set(false)) throw new Error('the login item is still on after turning it off');
  } finally {
    launchAtLogin.set(before);
  }
  return `turned on and off (left ${before ? 'on' : 'off'} as it was)`;
}

function trayIcons(parts: SelfTestParts): string {
  for (const state of TRAY_STATES) {
    const image = parts.trayImage(state);
    if (image.isEmpty()) throw new Error(`the ${state} tray icon is missing or unreadable`);
    if (parts.platform === 'darwin' && !image.isTemplateImage())
      throw new Error(`the ${state} tray icon is not a template image: the menu bar would show it black`);
  }
  return parts.platform === 'darwin' ? 'every state loads as a template image' : 'every state loads';
}

function updateFeed(resourcesPath: string): string {
  const file = path.join(resourcesPath, 'app-update.yml');
  if (!existsSync(file)) throw new Error(`${file} is missing: the app cannot find updates`);
  const feed = readFileSync(file, 'utf8');
  for (const key of ['provider: github', 'owner:', 'repo:'])
    if (!feed.includes(key)) throw new Error(`app-update.yml lacks "${key}"`);
  return 'GitHub releases';
}
