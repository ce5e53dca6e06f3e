/**
 * Observability against a real proxy and emulator: /metrics (Prometheus text, admin token unless made public),
 * /admin/stats (the dashboard's series) and the detailed /health, after real traffic including faults.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse, StatsResponse } from '../../shared/adminApi.ts';
import { SETTING_METRICS_PUBLIC } from '../../electron/core/index.ts';
import type { SettingsStore } from '../../electron/core/ports.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { parsePrometheusText, sampleSum, type PromSample } from '../unit/prometheusText.ts';
import { ADMIN_TOKEN, postJson, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const ROUTE = '/v1/messages';

let proxy: ProxyHarness;
let settings: SettingsStore;
let accountId: string;

function ask(content: string, stream: boolean) {
  return postJson(`${proxy.url}${ROUTE}?beta=true`, {
    model: 'claude-sonnet-4-5',
    max_tokens: 256,
    stream,
    messages: [{ role: 'user', content }],
  });
}

async function scrape(): Promise<PromSample[]> {
  const response = await fetch(`${proxy.url}/metrics`, { headers: ADMIN });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return parsePrometheusText(await response.text());
}

/** fetch() will not send a Host header of our choosing; a DNS-rebinding page would. */
function statusWithHost(path: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL(path, proxy.url), { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.once('error', reject);
  });
}

beforeAll(async () => {
  settings = createMemorySettingsStore();
  proxy = await startProxyHarness({ settings });
  accountId = proxy.core.accounts.pool.snapshot()[0]!.record.id;
  expect((await ask('hi [[reply:streamed answer]]', true)).status).toBe(200);
  expect((await ask('hi [[reply:plain answer]]', false)).status).toBe(200);
  proxy.emulator.setFault({ kind: '403-invalid', times: 1 });
  expect((await ask('hi [[reply:after a refresh]]', false)).status).toBe(200);
  expect((await ask('[[fault:400-too-long]]', false)).status).toBe(400);
});

afterAll(async () => {
  await proxy.close();
});

describe('GET /metrics', () => {
  it('counts the requests served, by route, model, account and status', async () => {
    const samples = await scrape();
    expect(accountId).toMatch(/^acc_/);
    expect(
      sampleSum(samples, 'kirodock_requests_total', { route: ROUTE, account: accountId, status: '200' }),
    ).toBe(3);
    expect(sampleSum(samples, 'kirodock_requests_total', { route: ROUTE, status: '400' })).toBe(1);
    expect(sampleSum(samples, 'kirodock_time_to_first_token_seconds_count', { route: ROUTE })).toBe(3);
    expect(sampleSum(samples, 'kirodock_request_duration_seconds_count', { route: ROUTE })).toBe(4);
    expect(sampleSum(samples, 'kirodock_tokens_total', { direction: 'output' })).toBeGreaterThan(0);
    expect(sampleSum(samples, 'kirodock_tokens_total', { direction: 'input' })).toBeGreaterThan(0);
    expect(sampleSum(samples, 'kirodock_prompt_input_tokens_total', { account: accountId })).toBeGreaterThan(
      0,
    );
  });

  it('counts every upstream attempt with its outcome, and the refresh it caused', async () => {
    const samples = await scrape();
    const attempts = (outcome: string) =>
      sampleSum(samples, 'kirodock_upstream_attempts_total', { account: accountId, outcome });
    expect(attempts('ok')).toBe(3);
    expect(attempts('invalid_token')).toBe(1);
    expect(attempts('context_too_long')).toBe(1);
    expect(sampleSum(samples, 'kirodock_token_refreshes_total', { account: accountId, outcome: 'ok' })).toBe(
      1,
    );
    expect(sampleSum(samples, 'kirodock_accounts', { state: 'active' })).toBe(1);
    expect(sampleSum(samples, 'kirodock_in_flight_streams')).toBe(0);
  });

  it('needs the admin token unless metricsPublic is set, and always a loopback Host', async () => {
    const anonymous = await fetch(`${proxy.url}/metrics`);
    expect(anonymous.status).toBe(401);
    const clientKey = await fetch(`${proxy.url}/metrics`, { headers: { authorization: 'Bearer wrong' } });
    expect(clientKey.status).toBe(401);
    settings.set(SETTING_METRICS_PUBLIC, true);
    try {
      const open = await fetch(`${proxy.url}/metrics`);
      expect(open.status).toBe(200);
      expect(await open.text()).toContain('kirodock_requests_total');
      expect(await statusWithHost('/metrics', 'evil.example')).toBe(403);
    } finally {
      settings.delete(SETTING_METRICS_PUBLIC);
    }
  });
});

describe('GET /admin/stats', () => {
  it('returns non-empty buckets and totals for the last 15 minutes', async () => {
    const response = await fetch(`${proxy.url}/admin/stats?window=15m`, { headers: ADMIN });
    expect(response.status).toBe(200);
    const body = (await response.json()) as StatsResponse;
    expect(body).toMatchObject({ window: '15m', bucketMs: 1_000 });
    expect(body.buckets.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(4);
    expect(body.buckets.reduce((sum, bucket) => sum + bucket.errors, 0)).toBe(1);
    expect(body.buckets.some((bucket) => (bucket.ttftP50Ms ?? -1) >= 0)).toBe(true);
    expect(body.totals).toMatchObject({ requestsPerMinute: 4, errorRate: 0.25, activeStreams: 0 });
  });

  it('serves the 24 h window in minute buckets, refuses others and anonymous callers', async () => {
    const day = (await (
      await fetch(`${proxy.url}/admin/stats?window=24h`, { headers: ADMIN })
    ).json()) as StatsResponse;
    expect(day.bucketMs).toBe(60_000);
    expect(day.buckets.length).toBeGreaterThan(0);
    expect((await fetch(`${proxy.url}/admin/stats?window=1y`, { headers: ADMIN })).status).toBe(400);
    expect((await fetch(`${proxy.url}/admin/stats`)).status).toBe(401);
  });
});

describe('GET /health', () => {
  it('answers without a token: state, accounts, the last upstream outcome, in-flight requests', async () => {
    const response = await fetch(`${proxy.url}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as HealthResponse;
    expect(body).toMatchObject({
      status: 'ok',
      version: 'test',
      accounts: { total: 1, byState: { active: 1 } },
      upstream: { state: 'ok' },
      inFlight: 0,
    });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(body)).not.toMatch(/token|@/i);
  });
});
