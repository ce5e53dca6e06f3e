/**
 * Launch at login, for the tray's toggle and the dashboard's switch alike. macOS and Windows keep login items
 * themselves (Electron's login item settings); on Linux desktops that follow the XDG autostart spec (GNOME, KDE,
 * Xfce, Cinnamon…) an entry in ~/.config/autostart is the login item, so it is written and removed here.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Passed by the login item: started by the session, so no window unless the app would be invisible. */
export const LAUNCHED_AT_LOGIN_ARG = '--hidden';

export const AUTOSTART_FILE_NAME = 'kiro-dock.desktop';

export interface LaunchAtLogin {
  supported: boolean;
  get(): boolean;
  /** Returns what the OS reports after the change. */
  set(enabled: boolean): boolean;
  /**
   * macOS 13 and later: registered but waiting for the user's approval in System Settings → Login Items
   * ('requires-approval'), or another status Electron reports; undefined elsewhere.
   */
  status?(): string | undefined;
}

/** The part of Electron's `app` this needs. */
export interface LoginItems {
  getLoginItemSettings(): { openAtLogin: boolean; status?: string };
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
}

/** Where a Linux session looks for autostart entries and what it should run. */
export interface LinuxAutostart {
  /** `$XDG_CONFIG_HOME/autostart`, default ~/.config/autostart. */
  dir: string;
  /** The program the session starts: the AppImage's own path when there is one, else the executable. */
  executable: string;
}

export function createLaunchAtLogin(
  app: LoginItems,
  platform: NodeJS.Platform = process.platform,
  linux: LinuxAutostart = linuxAutostartOf(process.env, process.execPath),
): LaunchAtLogin {
  if (platform === 'linux') return createAutostartEntry(linux);
  const supported = platform === 'darwin' || platform === 'win32';
  const get = () => supported && app.getLoginItemSettings().openAtLogin;
  return {
    supported,
    get,
    set(enabled) {
      if (supported) app.setLoginItemSettings({ openAtLogin: enabled });
      return get();
    },
    status: () => (supported ? app.getLoginItemSettings().status : undefined),
  };
}

export function linuxAutostartOf(env: NodeJS.ProcessEnv, execPath: string): LinuxAutostart {
  const configHome = env['XDG_CONFIG_HOME'] || path.join(os.homedir(), '.config');
  return { dir: path.join(configHome, 'autostart'), executable: env['APPIMAGE'] || execPath };
}

function createAutostartEntry(autostart: LinuxAutostart): LaunchAtLogin {
  const file = path.join(autostart.dir, AUTOSTART_FILE_NAME);
  const get = () => isEnabledEntry(readOrUndefined(file));
  return {
    supported: true,
    get,
    set(enabled) {
      if (enabled) {
        mkdirSync(autostart.dir, { recursive: true });
        writeFileSync(file, autostartEntry(autostart.executable));
      } else rmSync(file, { force: true });
      return get();
    },
  };
}

/** The desktop entry: Exec quoted by the Desktop Entry spec's rules, so a path with spaces still runs. */
export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Kiro Dock',
    'Comment=Local Anthropic and OpenAI API on top of Kiro accounts',
    `Exec=${execArgument(executable)} ${LAUNCHED_AT_LOGIN_ARG}`,
    'Icon=kiro-dock',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * One Exec argument: in double quotes, with `"`, `` ` ``, `$` and `\` escaped by a backslash; the value as a
 * whole is a string, whose own escaping doubles every backslash again.
 */
export function execArgument(argument: string): string {
  const quoted = `"${argument.replace(/(["`$\\])/g, '\\$1')}"`;
  return quoted.replace(/\\/g, '\\\\');
}

/** A user may switch an entry off by hand in their session settings (Hidden=true or the GNOME key). */
function isEnabledEntry(text: string | undefined): boolean {
  if (text === undefined) return false;
  return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
