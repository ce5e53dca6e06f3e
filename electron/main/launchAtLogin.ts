/**
 * Launch at login, for the tray's toggle and the dashboard's switch alike. Electron offers login items on macOS
 * and Windows only; elsewhere the setting is reported as unsupported instead of pretending it worked.
 */

export interface LaunchAtLogin {
  supported: boolean;
  get(): boolean;
  /** Returns what the OS reports after the change. */
  set(enabled: boolean): boolean;
}

/** The part of Electron's `app` this needs. */
export interface LoginItems {
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
}

export function createLaunchAtLogin(
  app: LoginItems,
  platform: NodeJS.Platform = process.platform,
): LaunchAtLogin {
  const supported = platform === 'darwin' || platform === 'win32';
  const get = () => supported && app.getLoginItemSettings().openAtLogin;
  return {
    supported,
    get,
    set(enabled) {
      if (supported) app.setLoginItemSettings({ openAtLogin: enabled });
      return get();
    },
  };
}
