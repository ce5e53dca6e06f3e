import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../electron/core/logging/createLogger.ts';
import { DASHBOARD_CSP } from '../../../electron/core/server/dashboardStatic.ts';
import { BrowserWindow, resetFakeElectron, session, shell } from './fakeElectron.ts';

vi.mock('electron', () => import('./fakeElectron.ts'));

const { createDashboardWindow, DASHBOARD_PARTITION, SIGN_IN_ROUTE, STOPPED_PAGE_URL } =
  await import('../../../electron/main/dashboardWindow.ts');

const ORIGIN = 'http://127.0.0.1:8765';

function setup(options: { stopped?: boolean } = {}) {
  const state = {
    origin: options.stopped ? undefined : (ORIGIN as string | undefined),
    quitting: false,
    logins: 0,
  };
  const controller = createDashboardWindow({
    preloadPath: '/app/out/preload/index.cjs',
    dashboardOrigin: () => state.origin,
    mintLogin: () => `code${++state.logins}`,
    isQuitting: () => state.quitting,
    logger: silentLogger(),
  });
  const guarded = session.fromPartition(DASHBOARD_PARTITION);
  return { state, controller, guarded };
}

function shownWindow(controller: ReturnType<typeof setup>['controller']) {
  controller.show();
  const window = BrowserWindow.created.at(-1)!;
  return window;
}

beforeEach(() => resetFakeElectron());

describe('dashboard window', () => {
  it('is created locked down, with the bundled preload and its own session', () => {
    const { controller, guarded } = setup();
    const window = shownWindow(controller);
    const prefs = window.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(prefs['session']).toBe(guarded);
  });

  it('loads the dashboard signed in with a fresh one-time code, and only reloads when the proxy changed', () => {
    const { state, controller } = setup();
    const window = shownWindow(controller);
    expect(window.loaded).toEqual([`${ORIGIN}/dashboard/#login=code1`]);
    expect(window.visible && window.focused).toBe(true);
    controller.show();
    expect(window.loaded).toHaveLength(1);
    state.origin = undefined;
    controller.proxyChanged();
    expect(window.loaded.at(-1)).toBe(STOPPED_PAGE_URL);
    state.origin = 'http://127.0.0.1:9000';
    controller.proxyChanged();
    expect(window.loaded.at(-1)).toBe('http://127.0.0.1:9000/dashboard/#login=code2');
  });

  it('opens the sign-in on "Add account…": a fresh load on that route, signed in again', () => {
    const { controller } = setup();
    const window = shownWindow(controller);
    controller.show(SIGN_IN_ROUTE);
    expect(window.loaded).toEqual([
      `${ORIGIN}/dashboard/#login=code1`,
      `${ORIGIN}/dashboard/#login=code2&next=accounts%2Fsign-in`,
    ]);
    expect(window.visible).toBe(true);
  });

  it('shows a local page without scripts while the proxy is stopped', () => {
    const { controller } = setup({ stopped: true });
    const window = shownWindow(controller);
    expect(window.loaded).toEqual([STOPPED_PAGE_URL]);
    const html = decodeURIComponent(STOPPED_PAGE_URL.split(',')[1]!);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toContain('<script');
  });

  it('a hidden window does not reload in the background; showing it loads what fits', () => {
    const { state, controller } = setup();
    const window = shownWindow(controller);
    window.hide();
    state.origin = undefined;
    controller.proxyChanged();
    expect(window.loaded).toHaveLength(1);
    controller.show();
    expect(window.loaded.at(-1)).toBe(STOPPED_PAGE_URL);
  });

  it('closing hides the window; while quitting it really closes', () => {
    const { state, controller } = setup();
    const window = shownWindow(controller);
    window.close();
    expect(window.destroyed).toBe(false);
    expect(window.visible).toBe(false);
    state.quitting = true;
    window.close();
    expect(window.destroyed).toBe(true);
    expect(controller.current()).toBeUndefined();
  });

  it('denies navigation and new windows; allowlisted https links go to the browser', () => {
    const { controller } = setup();
    const contents = shownWindow(controller).webContents;
    expect(contents.fire('will-navigate', 'https://evil.example/').defaultPrevented).toBe(true);
    expect(contents.fire('will-navigate', `${ORIGIN}/elsewhere`).defaultPrevented).toBe(true);
    expect(contents.fire('will-navigate', 'https://kiro.dev/docs').defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://github.com/x' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'http://github.com/x' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(shell.openExternal.mock.calls.map(([url]) => url)).toEqual([
      'https://kiro.dev/docs',
      'https://github.com/x',
    ]);
    expect(contents.fire('will-attach-webview').defaultPrevented).toBe(true);
  });

  it('refuses every permission but writing to the clipboard from the dashboard itself', () => {
    const { state, guarded } = setup();
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal'])
      guarded.permissionRequest!({}, permission, (granted) => answers.push(granted), {
        requestingUrl: `${ORIGIN}/dashboard/`,
      });
    expect(answers).toEqual([false, false, false, false, false]);
    for (const permission of ['media', 'clipboard-read', 'hid', 'serial'])
      expect(guarded.permissionCheck!({}, permission, ORIGIN)).toBe(false);
    // The copy buttons: allowed for the dashboard's origin only, and not while the proxy (its origin) is gone.
    expect(guarded.permissionCheck!({}, 'clipboard-sanitized-write', ORIGIN)).toBe(true);
    expect(guarded.permissionCheck!({}, 'clipboard-sanitized-write', 'http://127.0.0.1:9999')).toBe(false);
    expect(guarded.permissionCheck!({}, 'clipboard-sanitized-write', 'null')).toBe(false);
    let granted: boolean | undefined;
    guarded.permissionRequest!({}, 'clipboard-sanitized-write', (answer) => (granted = answer), {
      requestingUrl: `${ORIGIN}/dashboard/`,
    });
    expect(granted).toBe(true);
    state.origin = undefined;
    expect(guarded.permissionCheck!({}, 'clipboard-sanitized-write', ORIGIN)).toBe(false);
  });

  it('puts the strict CSP on every answer from the dashboard origin, replacing what the server sent', () => {
    const { guarded } = setup();
    let headers: Record<string, string[]> | undefined;
    guarded.headersReceived!(
      {
        url: `${ORIGIN}/dashboard/`,
        responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      },
      (response) => (headers = response.responseHeaders),
    );
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [DASHBOARD_CSP] });
    let other: object | undefined;
    guarded.headersReceived!(
      { url: 'http://127.0.0.1:9999/', responseHeaders: {} },
      (response) => (other = response),
    );
    expect(other).toEqual({});
  });

  it('lets the session reach the dashboard origin only', () => {
    const { state, guarded } = setup();
    const cancelled = (url: string) => {
      let answer: { cancel?: boolean } = {};
      guarded.beforeRequest!({ url }, (response) => (answer = response));
      return answer.cancel;
    };
    expect(cancelled(`${ORIGIN}/admin/accounts`)).toBe(false);
    expect(cancelled(STOPPED_PAGE_URL)).toBe(false);
    expect(cancelled('https://cdn.example/x.js')).toBe(true);
    expect(cancelled('http://127.0.0.1:9999/')).toBe(true);
    state.origin = undefined;
    expect(cancelled(`${ORIGIN}/admin/accounts`)).toBe(true);
  });
});
