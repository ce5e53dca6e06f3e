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

/**
 * Sign-in pages the dashboard's sign-in opens (docs/sign-in.md): AWS's device verification page, Builder ID's and
 * every organisation's IAM Identity Center portal, and Kiro's own sign-in service.
 */
const SIGN_IN_HOSTS = [
  /^device\.sso\.[a-z]{2}(-gov)?-[a-z]+-\d\.amazonaws\.com$/,
  /^[a-z0-9-]+\.awsapps\.com$/,
  /^prod\.[a-z]{2}-[a-z]+-\d\.auth\.desktop\.kiro\.dev$/,
];

/** True when `url` is https and on an allowlisted origin (exact origin, path below it) or sign-in host. Pure. */
export function isAllowedExternalLink(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  if (EXTERNAL_LINK_ALLOWLIST.includes(parsed.origin)) return true;
  return parsed.port === '' && SIGN_IN_HOSTS.some((host) => host.test(parsed.hostname));
}

export const DESKTOP_BRIDGE_GLOBAL = 'kiroDockDesktop';
