/**
 * `GET/PATCH /admin/settings` against a real Kiro Dock and the emulator: a patch is validated as a whole, saved,
 * and reaches the running parts at once (Kiro client timeouts, response cache, pool strategy, log level,
 * /metrics access); listeners hear a `settings` event, and an edit of the settings file by another process is
 * followed.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SettingsPatchResponse, SettingsView, StatsResponse } from '../../shared/adminApi.ts';
import {
  SETTING_LISTEN_PORT,
  SETTING_LOG_LEVEL,
  SETTING_POOL_STRATEGY,
  SETTING_TIMEOUTS,
} from '../../electron/core/index.ts';
import { createLogger } from '../../electron/core/logging/createLogger.ts';
import { createJsonSettingsStore } from '../../electron/core/settings/jsonSettingsStore.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { AdminEventStream, adminRequest, adminTestScope } from './adminHttp.ts';
import { postJson, startProxyHarness } from './proxyHarness.ts';

const scope = adminTestScope();
let dataDir: string | undefined;
afterEach(async () => {
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function getSettings(): Promise<SettingsView> {
  const answer = await adminRequest(scope.proxy!.url, 'GET', '/admin/settings');
  expect(answer.status).toBe(200);
  return answer.json<SettingsView>();
}

async function patchSettings(body: unknown): Promise<SettingsPatchResponse> {
  const answer = await adminRequest(scope.proxy!.url, 'PATCH', '/admin/settings', { body });
  expect(answer.status, answer.text).toBe(200);
  return answer.json<SettingsPatchResponse>();
}

/** At temperature 0: a request the response cache may answer while it is on. */
function chat(content: string) {
  return postJson(`${scope.proxy!.url}/v1/chat/completions`, {
    model: 'claude-sonnet-4-5',
    temperature: 0,
    messages: [{ role: 'user', content }],
  });
}

/** Chat requests the emulator received whose last message contains `marker`. */
function upstreamCalls(marker: string) {
  return scope.proxy!.emulator.requests.filter(
    (entry) => entry.operation === 'generateAssistantResponse' && JSON.stringify(entry.body).includes(marker),
  );
}

/** Bytes the response cache holds, as /admin/stats reports them; /metrics must agree. */
async function responseCacheBytes(): Promise<number> {
  const stats = await adminRequest(scope.proxy!.url, 'GET', '/admin/stats?window=15m');
  const reported = stats.json<StatsResponse>().totals.caches['response']?.bytes ?? 0;
  const metrics = (await adminRequest(scope.proxy!.url, 'GET', '/metrics')).text;
  const gauge = /^kirodock_cache_bytes\{cache="response"\} (\d+)$/m.exec(metrics)?.[1];
  expect(Number(gauge ?? 0)).toBe(reported);
  return reported;
}

describe('GET /admin/settings', () => {
  it('shows every effective value, and needs the admin token', async () => {
    scope.proxy = await startProxyHarness();
    const port = Number(new URL(scope.proxy.url).port);
    expect(await getSettings()).toEqual({
      listen: { host: '127.0.0.1', port: 8765 },
      listening: { host: '127.0.0.1', port },
      listeningFrom: { host: 'default', port: 'default' },
      poolStrategy: 'sequential',
      timeouts: { connectMs: 5_000, firstEventMs: 90_000, idleMs: 120_000 },
      responseCache: {
        enabled: false,
        ttlSeconds: 120,
        maxBytes: 32 * 1024 * 1024,
        includeToolsAndSampling: false,
      },
      ideWriteBack: true,
      logLevel: 'silent',
      metricsPublic: false,
      capturePrompts: false,
      clientKeyPreview: 'kd-…-key',
    });
    expect((await adminRequest(scope.proxy.url, 'GET', '/admin/settings', { token: null })).status).toBe(401);
    const withClientKey = await adminRequest(scope.proxy.url, 'GET', '/admin/settings', {
      token: 'kd-test-client-key',
    });
    expect(withClientKey.status).toBe(401);
  });
});

describe('PATCH /admin/settings', () => {
  it('saves nothing when any part of the patch is invalid', async () => {
    const store = createMemorySettingsStore();
    scope.proxy = await startProxyHarness({ settings: store });
    const before = await getSettings();
    const invalid = [
      { poolStrategy: 'round-robin', timeouts: { connectMs: 10 } },
      { metricsPublic: true, listen: { port: 70_000 } },
      { capturePrompts: true, unknownSetting: 1 },
      { logLevel: 'loud' },
      { listen: { host: 'example.com' }, poolStrategy: 'most-quota' },
    ];
    for (const body of invalid) {
      const answer = await adminRequest(scope.proxy.url, 'PATCH', '/admin/settings', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json<{ error: { message: string } }>().error.message).toEqual(expect.any(String));
    }
    expect(await getSettings()).toEqual(before);
    for (const key of [SETTING_POOL_STRATEGY, SETTING_TIMEOUTS, SETTING_LISTEN_PORT, 'metricsPublic'])
      expect(store.get(key), key).toBeUndefined();
    expect(scope.proxy.core.accounts.pool.strategy).toBe('sequential');
  });

  it('stores a new listen address and says a restart is needed, but not for the current one', async () => {
    const store = createMemorySettingsStore();
    scope.proxy = await startProxyHarness({ settings: store });
    const port = Number(new URL(scope.proxy.url).port);
    const moved = await patchSettings({ listen: { port: 9_999 } });
    expect(moved.restartRequired).toEqual(['listen']);
    expect(moved.settings.listen).toEqual({ host: '127.0.0.1', port: 9_999 });
    expect(moved.settings.listening).toEqual({ host: '127.0.0.1', port });
    expect(store.get(SETTING_LISTEN_PORT)).toBe(9_999);

    expect(moved.settings.listeningFrom).toEqual({ host: 'settings', port: 'settings' });
    // `serve --port` wins over the saved port: the view says where the running port came from.
    scope.proxy.core.setListening({ host: '127.0.0.1', port }, { port: 'flag' });
    expect((await getSettings()).listeningFrom).toEqual({ host: 'settings', port: 'flag' });

    const back = await patchSettings({ listen: { port } });
    expect(back.restartRequired).toEqual([]);
    expect((await patchSettings({ capturePrompts: true })).restartRequired).toEqual([]);
  });

  it('gives the Kiro client the new first-event timeout at once', async () => {
    scope.proxy = await startProxyHarness();
    const slow = '[[fault:slow-headers]] [[ttfb:1200]] [[reply:late]]';
    expect((await chat(`${slow} before`)).status).toBe(200);

    const { settings } = await patchSettings({ timeouts: { firstEventMs: 300 } });
    expect(settings.timeouts).toEqual({ connectMs: 5_000, firstEventMs: 300, idleMs: 120_000 });
    expect(scope.proxy.core.client.timeouts().firstEventMs).toBe(300);
    const started = Date.now();
    const timedOut = await chat(`${slow} after`);
    expect(timedOut.status).toBe(504);
    expect(timedOut.text).toMatch(/first-event timeout/);
    const calls = upstreamCalls('after');
    expect(calls.length).toBeGreaterThan(0);
    // Every attempt was given up before the emulator's 1.2 s, so none finished its answer.
    expect(Date.now() - started).toBeLessThan(1_200 * calls.length);
    expect(calls.every((call) => call.status === undefined)).toBe(true);
    // The proxy hung up on each attempt; the emulator may see the last hang-up just after the answer left.
    await vi.waitFor(() => expect(calls.every((call) => call.clientDisconnected === true)).toBe(true));
  });

  it('switches the response cache on and off for the next requests', async () => {
    scope.proxy = await startProxyHarness();
    expect((await chat('same [[reply:one]]')).headers.get('x-kiro-dock-cache')).not.toBe('hit');
    await patchSettings({ responseCache: { enabled: true, ttlSeconds: 60 } });
    expect(scope.proxy.core.responseCache.settings()).toMatchObject({ enabled: true, ttlSeconds: 60 });
    expect((await chat('cached [[reply:two]]')).headers.get('x-kiro-dock-cache')).toBe('miss');
    const hit = await chat('cached [[reply:two]]');
    expect(hit.headers.get('x-kiro-dock-cache')).toBe('hit');
    expect(upstreamCalls('cached')).toHaveLength(1);

    expect(await responseCacheBytes()).toBeGreaterThan(0);

    await patchSettings({ responseCache: { enabled: false } });
    // Switching the cache off empties it, and the figures the dashboard and /metrics show say so.
    expect(await responseCacheBytes()).toBe(0);
    expect((await chat('cached [[reply:two]]')).status).toBe(200);
    expect(upstreamCalls('cached')).toHaveLength(2);
  });

  it('changes the pool strategy for the next requests and keeps it for the next start', async () => {
    const store = createMemorySettingsStore();
    scope.proxy = await startProxyHarness({ settings: store, manualAccounts: 1 });
    for (const n of [1, 2]) expect((await chat(`sequential ${n} [[reply:x]]`)).status).toBe(200);
    expect(new Set(upstreamCalls('sequential').map((call) => call.accountId)).size).toBe(1);

    expect((await patchSettings({ poolStrategy: 'round-robin' })).settings.poolStrategy).toBe('round-robin');
    for (const n of [1, 2, 3, 4]) expect((await chat(`rotating ${n} [[reply:x]]`)).status).toBe(200);
    expect(new Set(upstreamCalls('rotating').map((call) => call.accountId)).size).toBe(2);
    expect(store.get(SETTING_POOL_STRATEGY)).toBe('round-robin');
    const strategy = await adminRequest(scope.proxy.url, 'GET', '/admin/pool/strategy');
    expect(strategy.json()).toEqual({ strategy: 'round-robin' });
  });

  it('changes the log level of the running logger', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const store = createMemorySettingsStore();
    const logger = createLogger({ level: 'error', destination });
    scope.proxy = await startProxyHarness({ settings: store, logger });
    expect((await getSettings()).logLevel).toBe('error');
    expect((await patchSettings({ logLevel: 'info' })).settings.logLevel).toBe('info');
    expect(logger.level).toBe('info');
    expect(store.get(SETTING_LOG_LEVEL)).toBe('info');
    expect((await chat('logged [[reply:x]]')).status).toBe(200);
    expect(lines.some((line) => line.includes('"/v1/chat/completions"'))).toBe(true);
  });

  it('opens /metrics without the admin token only while metricsPublic is on', async () => {
    scope.proxy = await startProxyHarness();
    expect((await adminRequest(scope.proxy.url, 'GET', '/metrics', { token: null })).status).toBe(401);
    expect((await patchSettings({ metricsPublic: true })).settings.metricsPublic).toBe(true);
    const open = await adminRequest(scope.proxy.url, 'GET', '/metrics', { token: null });
    expect(open.status).toBe(200);
    expect(open.text).toMatch(/^# HELP /m);
    const foreign = await adminRequest(scope.proxy.url, 'GET', '/metrics', {
      token: null,
      headers: { host: 'evil.example' },
    });
    expect(foreign.status).toBe(403);
    await patchSettings({ metricsPublic: false });
    expect((await adminRequest(scope.proxy.url, 'GET', '/metrics', { token: null })).status).toBe(401);
  });

  it('sends a settings event on the admin event stream', async () => {
    scope.proxy = await startProxyHarness();
    scope.events = await AdminEventStream.open(scope.proxy.url);
    const { settings } = await patchSettings({ capturePrompts: true, timeouts: { idleMs: 60_000 } });
    const event = await scope.events.next('settings', (e) => e.settings.capturePrompts);
    expect(event.settings).toEqual(settings);
    expect(event.settings.timeouts.idleMs).toBe(60_000);
  });
});

describe('an edit of the settings file by another process', () => {
  it('is applied to the running parts and announced', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-settings-'));
    const store = createJsonSettingsStore({ dataDir });
    scope.proxy = await startProxyHarness({ settings: store });
    scope.events = await AdminEventStream.open(scope.proxy.url);
    await patchSettings({ capturePrompts: true });

    const file = path.join(dataDir, 'settings.json');
    const current = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
    const edited = { ...current, [SETTING_TIMEOUTS]: { idleMs: 45_000 }, poolStrategy: 'most-quota' };
    // As an editor or another kiro-dock would: a new file renamed over the old one.
    await fs.writeFile(`${file}.edit`, JSON.stringify(edited));
    await fs.rename(`${file}.edit`, file);

    const event = await scope.events.next('settings', (e) => e.settings.timeouts.idleMs === 45_000);
    expect(event.settings).toMatchObject({ poolStrategy: 'most-quota', capturePrompts: true });
    expect(scope.proxy.core.client.timeouts().idleMs).toBe(45_000);
    expect(scope.proxy.core.accounts.pool.strategy).toBe('most-quota');
    expect((await getSettings()).timeouts.idleMs).toBe(45_000);
  });

  it('left half-written keeps the proxy serving on the settings it had, until the file is whole again', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-settings-'));
    const settings = createJsonSettingsStore({ dataDir });
    scope.proxy = await startProxyHarness({ settings });
    scope.events = await AdminEventStream.open(scope.proxy.url);
    await patchSettings({ capturePrompts: true, timeouts: { idleMs: 30_000 } });
    const file = path.join(dataDir, 'settings.json');
    const whole = await fs.readFile(file, 'utf8');

    const broken = whole.slice(0, whole.length / 2);
    // The store tells its listeners (the core among them) once it has seen the broken file.
    const brokenSeen = new Promise<void>((resolve) => {
      const stop = settings.onExternalChange(() => {
        stop();
        resolve();
      });
    });
    await fs.writeFile(file, broken);
    await brokenSeen;
    expect((await chat('while broken [[reply:ok]]')).status).toBe(200);
    // The account list lives in the same file: it is still there for the dashboard.
    const accounts = await adminRequest(scope.proxy.url, 'GET', '/admin/accounts');
    expect(accounts.status).toBe(200);
    expect((await accounts.json<{ accounts: unknown[] }>()).accounts).toHaveLength(1);
    expect(await getSettings()).toMatchObject({ capturePrompts: true, timeouts: { idleMs: 30_000 } });
    expect(scope.proxy.core.client.timeouts().idleMs).toBe(30_000);
    const refused = await adminRequest(scope.proxy.url, 'PATCH', '/admin/settings', {
      body: { metricsPublic: true },
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toMatch(/settings file cannot be read.*nothing was changed/);
    expect(await fs.readFile(file, 'utf8')).toBe(broken);

    await fs.writeFile(file, whole.replace('30000', '40000'));
    await scope.events.next('settings', (e) => e.settings.timeouts.idleMs === 40_000);
    expect(scope.proxy.core.client.timeouts().idleMs).toBe(40_000);
  });
});

describe('a bad value in the settings file', () => {
  it('is reported with its key and value and the default applies, at start and after an edit', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-settings-'));
    const twoWeeksMs = 14 * 24 * 60 * 60_000;
    await fs.writeFile(
      path.join(dataDir, 'settings.json'),
      JSON.stringify({
        [SETTING_TIMEOUTS]: { idleMs: twoWeeksMs, firstEventMs: 30_000 },
        ideWriteBack: 'false',
        capturePrompts: 'true',
        poolStrategy: 'fastest',
      }),
    );
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = createLogger({ level: 'warn', destination });
    scope.proxy = await startProxyHarness({ settings: createJsonSettingsStore({ dataDir }), logger });

    const settings = await getSettings();
    // The valid field of the same setting still applies; the bad ones fall back to their defaults.
    expect(settings.timeouts).toMatchObject({ idleMs: 120_000, firstEventMs: 30_000 });
    expect(scope.proxy.core.client.timeouts().idleMs).toBe(120_000);
    expect(settings).toMatchObject({ ideWriteBack: true, capturePrompts: false, poolStrategy: 'sequential' });
    expect((await chat('still serving [[reply:ok]]')).status).toBe(200);
    const warnings = lines.map(
      (line) => JSON.parse(line) as { setting?: string; value?: string; msg: string },
    );
    const reported = (key: string) => warnings.filter((warning) => warning.setting === key);
    expect(reported('timeouts.idleMs')).toEqual([
      expect.objectContaining({ value: String(twoWeeksMs), msg: expect.stringMatching(/one hour/) }),
    ]);
    expect(reported('ideWriteBack')).toEqual([expect.objectContaining({ value: '"false"' })]);
    expect(reported('capturePrompts')).toHaveLength(1);
    expect(reported('poolStrategy')).toHaveLength(1);
  });

  it('is refused by the dashboard with the same rule', async () => {
    scope.proxy = await startProxyHarness();
    const answer = await adminRequest(scope.proxy.url, 'PATCH', '/admin/settings', {
      body: { timeouts: { idleMs: 14 * 24 * 60 * 60_000 } },
    });
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/idleMs.*one hour/);
  });
});
