/**
 * Whether the dashboard opens at start. The app lives in the tray, but a tray icon needs a host: stock GNOME
 * (Ubuntu's own session has an extension, Debian's and Fedora's do not) has no StatusNotifierItem host, and
 * there the app would be running and invisible. So on Linux the window opens unless the session started the app
 * (the autostart entry passes --hidden) and a tray host is known to be there. Plain Node.
 */
import { execFile } from 'node:child_process';
import { LAUNCHED_AT_LOGIN_ARG } from './launchAtLogin.ts';

/** The D-Bus name a StatusNotifierItem host (KDE, the GNOME AppIndicator extension, waybar…) owns. */
export const TRAY_WATCHER_NAME = 'org.kde.StatusNotifierWatcher';
const BUS_QUERY_TIMEOUT_MS = 2_000;

export interface StartupFacts {
  platform: NodeJS.Platform;
  argv: readonly string[];
  /** Linux: a tray host owns its D-Bus name (true), does not (false), or the bus could not be asked. */
  trayHost: boolean | undefined;
  env: NodeJS.ProcessEnv;
}

export function shouldOpenDashboardAtStart(facts: StartupFacts): boolean {
  if (facts.platform !== 'linux') return false;
  const atLogin = facts.argv.includes(LAUNCHED_AT_LOGIN_ARG);
  const trayHost = facts.trayHost ?? !isGnome(facts.env);
  return !atLogin || !trayHost;
}

export function isGnome(env: NodeJS.ProcessEnv): boolean {
  return (env['XDG_CURRENT_DESKTOP'] ?? '').split(':').some((name) => /gnome/i.test(name));
}

/**
 * Asks the session bus whether `name` has an owner, with dbus-send (part of every D-Bus install). Undefined when
 * it cannot tell: no bus, no dbus-send, no answer in time.
 */
export function busNameHasOwner(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean | undefined> {
  const args = [
    '--session',
    '--print-reply',
    `--reply-timeout=${BUS_QUERY_TIMEOUT_MS}`,
    '--dest=org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus.NameHasOwner',
    `string:${name}`,
  ];
  return new Promise((resolve) => {
    execFile('dbus-send', args, { env, timeout: BUS_QUERY_TIMEOUT_MS * 2 }, (error, stdout) => {
      if (error) return resolve(undefined);
      const answer = /boolean (true|false)/.exec(stdout);
      resolve(answer ? answer[1] === 'true' : undefined);
    });
  });
}

/** The whole decision for this start: on Linux the bus is asked for a tray host first. */
export async function opensDashboardAtStart(
  platform: NodeJS.Platform,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  const trayHost = platform === 'linux' ? await busNameHasOwner(TRAY_WATCHER_NAME, env) : undefined;
  return shouldOpenDashboardAtStart({ platform, argv, trayHost, env });
}
