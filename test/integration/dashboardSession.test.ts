/**
 * The dashboard's way in, against a real Kiro Dock: one-time login codes exchanged for session tokens (on a fake
 * clock), the limit on wrong guesses, the static dashboard files and their headers, and the Host / Origin guards
 * in front of every newer admin route.
 */
import http from 'node:http';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionResponse } from '../../shared/adminApi.ts';
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

  it('limits repeated wrong codes, even a right one while blocked, until the window has passed', async () => {
    await start();
    for (let i = 0; i < 10; i++) expect((await signIn(`wrong-${i}`)).status).toBe(401);
    const code = proxy!.core.mintDashboardLogin();
    const blocked = await signIn(code);
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');
    expect(blocked.json<{ error: { message: string } }>().error.message).toMatch(/Too many/);
    expect((await signIn(ADMIN_TOKEN)).status).toBe(429);

    clock.advance(30_000);
    expect((await signIn(code)).headers['retry-after']).toBe('30');
    clock.advance(30_000);
    await sessionFor(code); // the blocked attempt did not spend the code
  });
});

describe('dashboard files', () => {
  async function startWithDashboard(): Promise<string> {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-dashboard-'));
    const dashboardDir = path.join(tempDir, 'dist');
    await fs.mkdir(path.join(dashboardDir, 'assets'), { recursive: true });
    await fs.writeFile(path.join(dashboardDir, 'index.html'), '<!doctype html><title>dashboard</title>');
    await fs.writeFile(path.join(dashboardDir, 'assets', 'index-3f9a1c.js'), 'console.log(1);');
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
