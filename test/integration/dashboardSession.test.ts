/**
 * The dashboard's way in, against a real Kiro Dock: one-time login codes exchanged for session tokens (on a fake
 * clock), the growing hold-back of wrong guesses, the static dashboard files and their headers, and the Host / Origin guards
 * in front of every newer admin route.
 */
import http from 'node:http';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../shared/adminApi.ts';
import { SIGN_IN_PENALTY } from '../../electron/core/server/admin/sessionRoute.ts';
import { DASHBOARD_CSP } from '../../electron/core/server/dashboardStatic.ts';
import { createFakeClock, type FakeClock } from '../support/fakeClock.ts';
import { adminRequest, type AdminAnswer } from './adminHttp.ts';
import { ADMIN_TOKEN, CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness | undefined;
let tempDir: string | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

function signIn(code: string, headers?: Record<string, string>): Promise<AdminAnswer> {
  return adminRequest(proxy!.url, 'POST', '/admin/session', { body: { code }, token: null, headers });
}

async function sessionFor(code: string): Promise<string> {
  const answer = await signIn(code);
  expect(answer.status, answer.text).toBe(200);
  expect(answer.headers['cache-control']).toBe('no-store');
  return answer.json<SessionResponse>().token;
}

describe('dashboard sign-in', () => {
  let clock: FakeClock;
  async function start(): Promise<void> {
    clock = createFakeClock();
    proxy = await startProxyHarness({ clock });
  }

  it('a login code works once and its session opens the admin API, stats and metrics', async () => {
    await start();
    const code = proxy!.core.mintDashboardLogin();
    const token = await sessionFor(code);
    expect(token).toMatch(/^kds-/);
    expect((await signIn(code)).status).toBe(401);

    for (const route of ['/admin/accounts', '/admin/settings', '/admin/stats?window=15m', '/metrics']) {
      const answer = await adminRequest(proxy!.url, 'GET', route, { token });
      expect(answer.status, route).toBe(200);
      expect((await adminRequest(proxy!.url, 'GET', route, { token: 'kds-made-up' })).status, route).toBe(
        401,
      );
    }
    // A session is for the admin side only: clients still need the client key.
    const models = await fetch(`${proxy!.url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
    expect(models.status).toBe(401);

    proxy!.core.dispose(); // every session ends with the core
    expect((await adminRequest(proxy!.url, 'GET', '/admin/settings', { token })).status).toBe(401);
  });

  it('a code expires after 10 minutes', async () => {
    await start();
    const early = proxy!.core.mintDashboardLogin();
    const late = proxy!.core.mintDashboardLogin();
    clock.advance(10 * 60_000 - 1);
    await sessionFor(early);
    clock.advance(1);
    const answer = await signIn(late);
    expect(answer.status).toBe(401);
    expect(answer.json<{ error: { message: string } }>().error.message).toMatch(/expired/);
  });

  it('takes the admin token in place of a code, but not the client key', async () => {
    await start();
    const token = await sessionFor(ADMIN_TOKEN);
    expect(token).not.toBe(ADMIN_TOKEN);
    expect((await adminRequest(proxy!.url, 'GET', '/admin/accounts', { token })).status).toBe(200);
    expect((await signIn(CLIENT_KEY)).status).toBe(401);
  });

  it('refuses a bad body without counting it as a guess', async () => {
    await start();
    for (const body of [{}, { code: '' }, { code: 'x', extra: 1 }]) {
      const answer = await adminRequest(proxy!.url, 'POST', '/admin/session', { body, token: null });
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    await sessionFor(proxy!.core.mintDashboardLogin());
  });

  /** Wrong guesses in a row: three are free, then each waits twice as long, up to 8 s. */
  const HOLD_BACKS_MS = [0, 0, 0, 250, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000];

  /** A wrong guess, answered once the clock moved `holdBackMs` and not a moment before. */
  async function wrongGuess(holdBackMs: number): Promise<AdminAnswer> {
    const timersBefore = clock.pendingTimers;
    let answered = false;
    const answer = signIn(`wrong-${holdBackMs}`).then((result) => {
      answered = true;
      return result;
    });
    if (holdBackMs > 0) {
      await waitFor(() => clock.pendingTimers > timersBefore);
      clock.advance(holdBackMs - 1);
      await realPause(30);
      expect(answered, `answered before ${holdBackMs} ms`).toBe(false);
      clock.advance(1);
    }
    return answer;
  }

  it('holds wrong codes back ever longer and closes their connection, but never a right code or the admin token', async () => {
    await start();
    const code = proxy!.core.mintDashboardLogin();
    for (const holdBackMs of HOLD_BACKS_MS) {
      const answer = await wrongGuess(holdBackMs);
      expect(answer.status).toBe(401);
      expect(answer.headers.connection).toBe('close');
      expect(answer.headers['retry-after']).toBeUndefined();
    }
    // Eleven wrong guesses within a minute used to lock everyone out for a minute: the right ones pass at once.
    await sessionFor(code);
    await sessionFor(ADMIN_TOKEN);
    clock.advance(6_000);
    expect((await wrongGuess(8_000)).status).toBe(401);
    await sessionFor(proxy!.core.mintDashboardLogin());
    // A quiet minute forgets the guesses.
    clock.advance(60_000);
    expect((await wrongGuess(0)).status).toBe(401);
  });

  it('holds back at most 16 wrong answers at once, so guesses cannot fill the connections', async () => {
    await start();
    for (const holdBackMs of HOLD_BACKS_MS.slice(0, 3)) await wrongGuess(holdBackMs);
    let answered = 0;
    const guesses = Array.from({ length: 20 }, (_, i) =>
      signIn(`parallel-${i}`).then((answer) => {
        answered += 1;
        return answer;
      }),
    );
    await waitFor(() => answered === 4);
    await realPause(50);
    expect(answered).toBe(4);
    clock.advance(SIGN_IN_PENALTY.maxDelayMs);
    expect(new Set((await Promise.all(guesses)).map((answer) => answer.status))).toEqual(new Set([401]));
    await sessionFor(proxy!.core.mintDashboardLogin());
  });

  it('releases the hold-back of a guesser who hangs up', async () => {
    await start();
    for (const holdBackMs of HOLD_BACKS_MS.slice(0, 3)) await wrongGuess(holdBackMs);
    const timersBefore = clock.pendingTimers;
    const { port } = new URL(proxy!.url);
    const req = http.request({ host: '127.0.0.1', port, path: '/admin/session', method: 'POST' });
    req.setHeader('content-type', 'application/json');
    req.on('error', () => undefined);
    req.end(JSON.stringify({ code: 'wrong-and-gone' }));
    await waitFor(() => clock.pendingTimers > timersBefore);
    req.destroy();
    await waitFor(() => clock.pendingTimers === timersBefore);
    await sessionFor(proxy!.core.mintDashboardLogin());
  });
});

/** Polls real time (the proxy's clock is fake) until `condition` holds; fails after two seconds. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (condition()) return;
    await realPause(10);
  }
  throw new Error('condition not met within 2 s');
}

function realPause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('dashboard files', () => {
  async function startWithDashboard(): Promise<string> {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-dashboard-'));
    const dashboardDir = path.join(tempDir, 'dist');
    await fs.mkdir(path.join(dashboardDir, 'assets'), { recursive: true });
    await fs.writeFile(path.join(dashboardDir, 'index.html'), '<!doctype html><title>dashboard</title>');
    await fs.writeFile(path.join(dashboardDir, 'assets', 'index-3f9a1c.js'), 'console.log(1);');
    await fs.writeFile(path.join(dashboardDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await fs.writeFile(path.join(tempDir, 'secret.txt'), 'outside the dashboard');
    proxy = await startProxyHarness({ core: { dashboardDir } });
    return dashboardDir;
  }

  function get(route: string, headers: Record<string, string> = {}): Promise<AdminAnswer> {
    return adminRequest(proxy!.url, 'GET', route, { token: null, headers });
  }

  it('serves index.html with a strict CSP and no-cache, without the client key', async () => {
    await startWithDashboard();
    for (const route of ['/dashboard/', '/dashboard/accounts', '/dashboard/settings/advanced']) {
      const page = await get(route);
      expect(page.status, route).toBe(200);
      expect(page.text).toContain('<title>dashboard</title>');
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toBe(DASHBOARD_CSP);
      expect(page.headers['cache-control'], route).toBe('no-cache');
      expect(page.headers['x-frame-options']).toBe('DENY');
    }
    expect(DASHBOARD_CSP).toMatch(/default-src 'self'.*script-src 'self';.*frame-ancestors 'none'/);
    const bare = await get('/dashboard?x=1');
    expect([bare.status, bare.headers.location]).toEqual([301, '/dashboard/?x=1']);
    expect((await get('/v1/models')).status).toBe(401);
  });

  it('keeps hashed assets a year, and a missing asset is a 404, not the page', async () => {
    await startWithDashboard();
    const asset = await get('/dashboard/assets/index-3f9a1c.js');
    expect(asset.status).toBe(200);
    expect(asset.text).toBe('console.log(1);');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    const missing = await get('/dashboard/assets/index-000000.js');
    expect(missing.status).toBe(404);
    expect(missing.text).not.toContain('<title>');
    expect((await adminRequest(proxy!.url, 'POST', '/dashboard/', { token: null })).status).toBe(405);
  });

  it("answers a browser's /favicon.ico with the dashboard's icon, without the client key", async () => {
    await startWithDashboard();
    const ask = await get('/favicon.ico');
    expect([ask.status, ask.headers.location]).toEqual([301, '/dashboard/favicon.svg']);
    const icon = await get('/dashboard/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.text).toContain('<svg');
  });

  it('ships the icon in the dashboard build the page links to', async () => {
    const html = await fs.readFile(path.resolve('renderer/index.html'), 'utf8');
    expect(html).toContain('<link rel="icon" type="image/svg+xml" href="./favicon.svg" />');
    expect(await fs.readFile(path.resolve('renderer/public/favicon.svg'), 'utf8')).toContain('<svg');
  });

  it('never serves a file outside its folder', async () => {
    await startWithDashboard();
    const attempts = [
      '/dashboard/../secret.txt',
      '/dashboard/%2e%2e/secret.txt',
      '/dashboard/..%2fsecret.txt',
      '/dashboard/assets/..%2f..%2fsecret.txt',
      '/dashboard/%2e%2e%2fsecret.txt',
      '/dashboard/..%5csecret.txt',
    ];
    for (const route of attempts) {
      const answer = await rawGet(proxy!.url, route);
      expect(answer.text, route).not.toContain('outside the dashboard');
      expect(answer.status === 200 ? answer.text : 'refused', route).toMatch(/refused|<title>dashboard/);
    }
  });

  it('says how to build the dashboard when it is not built', async () => {
    proxy = await startProxyHarness();
    const page = await get('/dashboard/');
    expect(page.status).toBe(503);
    expect(page.text).toContain('npm run build:renderer');
    expect(page.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(page.headers['cache-control']).toBe('no-store');
  });
});

describe('Host and Origin guards on the newer admin routes', () => {
  const routes: Array<[string, string, unknown?]> = [
    ['GET', '/admin/settings'],
    ['PATCH', '/admin/settings', { capturePrompts: true }],
    ['POST', '/admin/client-key/reveal'],
    ['POST', '/admin/client-key/regenerate'],
    ['GET', '/admin/claude-code'],
    ['POST', '/admin/claude-code/settings'],
    ['GET', '/admin/requests'],
    ['POST', '/admin/session', { code: ADMIN_TOKEN }],
    ['GET', '/admin/stats?window=15m'],
  ];

  it('refuses a cross-origin browser request and a foreign Host, changing nothing', async () => {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-guard-'));
    const claudeSettingsPath = path.join(tempDir, 'settings.json');
    proxy = await startProxyHarness({ core: { claudeSettingsPath } });
    const port = new URL(proxy.url).port;
    const refusals: Array<Record<string, string>> = [
      { origin: 'http://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { host: `evil.example:${port}` },
      { host: `localhost.evil.example:${port}` },
    ];
    for (const [method, route, body] of routes) {
      for (const headers of refusals) {
        const answer = await adminRequest(proxy.url, method, route, { body, headers });
        expect(answer.status, `${method} ${route} ${JSON.stringify(headers)}`).toBe(403);
        expect(answer.text).not.toContain(CLIENT_KEY);
        expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      }
      const sameOrigin = await adminRequest(proxy.url, method, route, {
        body,
        headers: { origin: `http://localhost:${port}`, host: `localhost:${port}` },
      });
      expect(sameOrigin.status, `${method} ${route} same origin`).toBeLessThan(300);
    }
    // Only the same-origin requests got through.
    expect(await fs.readdir(tempDir)).toEqual(['settings.json']);
  });
});

/** This machine's first non-loopback IPv4 address, if it has one. */
function lanAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address;
}

describe('the Host check beyond loopback', () => {
  const lan = lanAddress();
  it.skipIf(lan === undefined)('over a LAN address, answers only to that address', async () => {
    proxy = await startProxyHarness({ listen: { host: '0.0.0.0' } });
    const port = new URL(proxy.url).port;
    const overLan = `http://${lan}:${port}`;
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `localhost:${port}`,
      `${lan}:${Number(port) + 1}`,
    ]) {
      const answer = await adminRequest(overLan, 'GET', '/admin/accounts', { headers: { host } });
      expect(answer.status, host).toBe(403);
      expect(answer.json<{ error: { message: string } }>().error.message).toContain(
        `answers only to ${lan}:${port}`,
      );
      const stats = await adminRequest(overLan, 'GET', '/admin/stats?window=15m', { headers: { host } });
      expect(stats.status, host).toBe(403);
    }
    expect((await adminRequest(overLan, 'GET', '/admin/accounts')).status).toBe(200);
    expect((await adminRequest(overLan, 'GET', '/metrics')).status).toBe(200);
  });
});

/** A GET with the path sent exactly as given (fetch and URL would normalise the dots away). */
function rawGet(baseUrl: string, rawPath: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: 'GET' });
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.once('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.end();
  });
}
