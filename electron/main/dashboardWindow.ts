/**
 * The dashboard window: the page the proxy serves at /dashboard/, signed in with a one-time code, locked down
 * as Electron's security checklist asks. Closing it hides it; the app lives on in the tray.
 *
 * When the proxy is stopped there is no dashboard to load (the proxy serves it), so the window shows a small
 * local page that says so: a browser error page would look like a crash, and the page has no script, no
 * bridge (the IPC check accepts only the dashboard's origin) and nothing to leak. When the proxy comes back,
 * a visible window loads the dashboard again.
 */
import { BrowserWindow, session, shell, type Session, type WebContents } from 'electron';
import { DASHBOARD_PATH } from '../../shared/adminApi.ts';
import { isAllowedExternalLink } from '../../shared/desktopBridge.ts';
import { DASHBOARD_CSP } from '../core/index.ts';
import type { Logger } from '../core/ports.ts';

/** Its own persistent session, so the guards below apply to the dashboard and to nothing else. */
export const DASHBOARD_PARTITION = 'persist:kiro-dock-dashboard';

export interface DashboardWindowOptions {
  preloadPath: string;
  /** `http://127.0.0.1:8765` while the proxy listens, else undefined. */
  dashboardOrigin(): string | undefined;
  mintLogin(): string;
  /** While quitting, closing really closes. */
  isQuitting(): boolean;
  logger: Logger;
  /**
   * Windows tells top-level windows, and only them, that the session ends: 'query-session-end' (it is about
   * to) and 'session-end' (it does, now). Called with which one arrived.
   */
  onSessionEnd?(phase: 'ending' | 'ended'): void;
}

/** The dashboard route that opens the Accounts page's sign-in (the tray's "Add account…"). */
export const SIGN_IN_ROUTE = 'accounts/sign-in';

export interface DashboardWindow {
  /**
   * Creates the window if needed, loads what fits the proxy's state, brings it to the front; with a `route`
   * (a dashboard page and what to open there), the dashboard is loaded afresh on that route.
   */
  show(route?: string): void;
  /** The proxy started, stopped or moved: a visible window follows. */
  proxyChanged(): void;
  /** Creates the window hidden, without loading anything, so that it receives the session's end (Windows). */
  prepare(): void;
  current(): BrowserWindow | undefined;
}

const STOPPED_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
  `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
  '<title>Kiro Dock</title><style>body{font:15px system-ui,sans-serif;margin:15vh auto;max-width:32em;' +
  'padding:0 1em;color:#333}@media (prefers-color-scheme:dark){body{background:#1e1e1e;color:#ddd}}</style>' +
  '</head><body><h1>The proxy is stopped</h1><p>The dashboard is served by the proxy. Start it from the Kiro ' +
  'Dock menu in the tray, and this window shows the dashboard again.</p></body></html>';

export const STOPPED_PAGE_URL = `data:text/html;charset=utf-8,${encodeURIComponent(STOPPED_PAGE)}`;

export function createDashboardWindow(options: DashboardWindowOptions): DashboardWindow {
  const dashboardSession = session.fromPartition(DASHBOARD_PARTITION);
  guardSession(dashboardSession, options.dashboardOrigin);
  let window: BrowserWindow | undefined;
  let loadedTarget: string | undefined;

  function load(target: BrowserWindow, route?: string): void {
    const origin = options.dashboardOrigin();
    loadedTarget = origin ?? STOPPED_PAGE_URL;
    // The code rides in the fragment, which is never sent to the server, so it reaches no log; it works once.
    const next = route ? `&next=${encodeURIComponent(route)}` : '';
    const url = origin ? `${origin}${DASHBOARD_PATH}/#login=${options.mintLogin()}${next}` : STOPPED_PAGE_URL;
    target
      .loadURL(url)
      .catch((error: unknown) => options.logger.warn({ err: error }, 'dashboard did not load'));
  }

  function ensureWindow(): BrowserWindow {
    if (window && !window.isDestroyed()) return window;
    window = openGuardedWindow(options, dashboardSession, () => {
      window = undefined;
      loadedTarget = undefined;
    });
    return window;
  }

  return {
    show(route) {
      const target = ensureWindow();
      if (route || loadedTarget !== (options.dashboardOrigin() ?? STOPPED_PAGE_URL)) load(target, route);
      target.show();
      target.focus();
    },
    proxyChanged() {
      if (!window || window.isDestroyed() || !window.isVisible()) return;
      if (loadedTarget !== (options.dashboardOrigin() ?? STOPPED_PAGE_URL)) load(window);
    },
    prepare: () => void ensureWindow(),
    current: () => (window && !window.isDestroyed() ? window : undefined),
  };
}

/** A new, hidden, locked-down window whose close button hides it (until the app quits). */
function openGuardedWindow(
  options: DashboardWindowOptions,
  dashboardSession: Session,
  onClosed: () => void,
): BrowserWindow {
  const created = new BrowserWindow(dashboardWindowOptions(options.preloadPath, dashboardSession));
  guardContents(created.webContents);
  created.on('close', (event) => {
    if (options.isQuitting()) return;
    event.preventDefault();
    created.hide();
  });
  created.on('closed', onClosed);
  if (options.onSessionEnd) {
    const { onSessionEnd } = options;
    created.on('query-session-end', () => onSessionEnd('ending'));
    created.on('session-end', () => onSessionEnd('ended'));
  }
  return created;
}

export function dashboardWindowOptions(
  preloadPath: string,
  dashboardSession: Session,
): Electron.BrowserWindowConstructorOptions {
  return {
    width: 1180,
    height: 800,
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'Kiro Dock',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      session: dashboardSession,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** No navigation and no new windows, ever; an allowlisted https link opens in the user's browser instead. */
export function guardContents(contents: WebContents): void {
  const openIfAllowed = (url: string) => {
    if (isAllowedExternalLink(url)) void shell.openExternal(url);
  };
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openIfAllowed(url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url);
    return { action: 'deny' };
  });
}

/**
 * The session talks to the dashboard's origin only, answers carry the strict CSP whatever the server sent, and
 * every permission (camera, notifications, reading the clipboard…) is refused but one: the dashboard's copy
 * buttons (client key, Claude Code lines) write to the clipboard, which Chromium asks for as
 * clipboard-sanitized-write; refusing it would leave those buttons failing in the desktop window only.
 */
export function guardSession(target: Session, dashboardOrigin: () => string | undefined): void {
  target.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, dashboardOrigin()) });
  });
  target.webRequest.onHeadersReceived((details, callback) => {
    if (originOf(details.url) !== dashboardOrigin() || dashboardOrigin() === undefined) {
      callback({});
      return;
    }
    callback({ responseHeaders: withDashboardCsp(details.responseHeaders ?? {}) });
  });
  target.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isAllowedPermission(permission, details?.requestingUrl, dashboardOrigin())),
  );
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isAllowedPermission(permission, requestingOrigin, dashboardOrigin()),
  );
}

export function isAllowedPermission(
  permission: string,
  requestingUrl: string | undefined,
  dashboardOrigin: string | undefined,
): boolean {
  if (permission !== 'clipboard-sanitized-write' || dashboardOrigin === undefined) return false;
  return requestingUrl !== undefined && originOf(requestingUrl) === dashboardOrigin;
}

export function isAllowedRequest(url: string, dashboardOrigin: string | undefined): boolean {
  if (url.startsWith('data:') || url.startsWith('devtools:')) return true;
  return dashboardOrigin !== undefined && originOf(url) === dashboardOrigin;
}

/** Replaces any CSP header (in whatever case the server wrote it) with the dashboard's strict one. */
export function withDashboardCsp(headers: Record<string, string[]>): Record<string, string[]> {
  const kept = Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-security-policy');
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [DASHBOARD_CSP] };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
