/**
 * What the Electron preload exposes to the dashboard as `window.kiroDockDesktop`: the desktop-only actions,
 * nothing else. In a plain browser the object is absent and the dashboard hides these controls.
 */

/** IPC channel names between the preload and the main process. */
export const DESKTOP_CHANNELS = {
  getLaunchAtLogin: 'kiro-dock:get-launch-at-login',
  setLaunchAtLogin: 'kiro-dock:set-launch-at-login',
  openExternal: 'kiro-dock:open-external',
  setLanguage: 'kiro-dock:set-language',
} as const;

export interface DesktopBridge {
  getLaunchAtLogin(): Promise<boolean>;
  /** Resolves to the state the OS reports after the change. */
  setLaunchAtLogin(enabled: boolean): Promise<boolean>;
  /** Opens an allowlisted https URL in the default browser; false when the URL is not allowed. */
  openExternal(url: string): Promise<boolean>;
  /** The dashboard's language (`en`, `zh`), which the tray menu and the notifications follow. */
  setLanguage(language: string): Promise<void>;
}

/** The only sites the dashboard may open in the user's browser. */
export const EXTERNAL_LINK_ALLOWLIST: readonly string[] = [
  'https://kiro.dev',
  'https://docs.anthropic.com',
  'https://docs.claude.com',
  'https://github.com',
];

/** True when `url` is https and on an allowlisted origin (exact origin, path below it). Pure. */
export function isAllowedExternalLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  return EXTERNAL_LINK_ALLOWLIST.includes(parsed.origin);
}

export const DESKTOP_BRIDGE_GLOBAL = 'kiroDockDesktop';
