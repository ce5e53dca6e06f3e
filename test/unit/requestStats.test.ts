import { describe, expect, it } from 'vitest';
import type { PoolAccount } from '../../electron/core/accounts/accountPool.ts';
import { UpstreamError } from '../../electron/core/kiro/upstreamError.ts';
import type { RequestRecord } from '../../electron/core/server/turn/requestRecord.ts';
import { healthReport } from '../../electron/core/stats/healthReport.ts';
import { createRequestStats } from '../../electron/core/stats/requestStats.ts';
import { createFakeClock } from '../support/fakeClock.ts';
import { parsePrometheusText, sampleSum } from './prometheusText.ts';

const ROUTE = '/v1/messages';
const MODEL = 'claude-sonnet-4.5';

function setup() {
  const clock = createFakeClock();
  const monotonic = clock.monotonicNow();
  const stats = createRequestStats({ clock });
  return {
    clock,
    stats,
    /** A request that began `durationMs` ago and produced its first output after `ttftMs`. */
    served(record: Partial<RequestRecord> & { durationMs: number; ttftMs?: number }) {
      const started = monotonic - record.durationMs;
      const firstOutputAt = record.ttftMs === undefined ? undefined : started + record.ttftMs;
      stats.recordRequest(ROUTE, { status: 200, modelId: MODEL, ...record, started, firstOutputAt });
    },
    async samples() {
      return parsePrometheusText(await stats.metricsText());
    },
  };
}

const usageEnd = (inputTokens: number, outputTokens: number, cacheRead?: number): RequestRecord['events'] => [
  { type: 'text_delta', text: 'hi' },
  {
    type: 'end',
    stopReason: 'end_turn',
    usage: { inputTokens, outputTokens, ...(cacheRead !== undefined && { cacheReadInputTokens: cacheRead }) },
  },
];

describe('createRequestStats → metrics text', () => {
  it('counts requests, latencies, tokens, prompt cache and the final attempt', async () => {
    const t = setup();
    t.served({
      durationMs: 2_000,
      ttftMs: 300,
      accountId: 'acc_aaaaaaaaaaaa',
      attempts: 1,
      events: usageEnd(120, 40, 880),
    });
    const samples = await t.samples();
    const labels = { route: ROUTE, model: MODEL };
    expect(
      sampleSum(samples, 'kirodock_requests_total', {
        ...labels,
        account: 'acc_aaaaaaaaaaaa',
        status: '200',
      }),
    ).toBe(1);
    expect(sampleSum(samples, 'kirodock_time_to_first_token_seconds_count', labels)).toBe(1);
    expect(sampleSum(samples, 'kirodock_time_to_first_token_seconds_sum', labels)).toBeCloseTo(0.3);
    expect(sampleSum(samples, 'kirodock_time_to_first_token_seconds_bucket', { ...labels, le: '0.25' })).toBe(
      0,
    );
    expect(sampleSum(samples, 'kirodock_time_to_first_token_seconds_bucket', { ...labels, le: '0.5' })).toBe(
      1,
    );
    expect(sampleSum(samples, 'kirodock_request_duration_seconds_sum', labels)).toBeCloseTo(2);
    expect(sampleSum(samples, 'kirodock_tokens_total', { direction: 'input', model: MODEL })).toBe(120);
    expect(sampleSum(samples, 'kirodock_tokens_total', { direction: 'output', model: MODEL })).toBe(40);
    expect(sampleSum(samples, 'kirodock_tokens_total', { direction: 'cache_read', model: MODEL })).toBe(880);
    const account = { account: 'acc_aaaaaaaaaaaa', model: MODEL };
    expect(sampleSum(samples, 'kirodock_prompt_cache_read_tokens_total', account)).toBe(880);
    expect(sampleSum(samples, 'kirodock_prompt_input_tokens_total', account)).toBe(120);
    expect(
      sampleSum(samples, 'kirodock_upstream_attempts_total', { account: 'acc_aaaaaaaaaaaa', outcome: 'ok' }),
    ).toBe(1);
  });

  it('counts a failed request as an error with its upstream kind, and marks the upstream failing', async () => {
    const t = setup();
    const error = new UpstreamError('server_error', 'Kiro answered 500', { status: 500 });
    t.served({ status: 502, durationMs: 50, accountId: 'acc_bbbbbbbbbbbb', attempts: 3, error });
    const samples = await t.samples();
    expect(sampleSum(samples, 'kirodock_requests_total', { status: '502' })).toBe(1);
    expect(sampleSum(samples, 'kirodock_time_to_first_token_seconds_count')).toBe(0);
    expect(sampleSum(samples, 'kirodock_upstream_attempts_total', { outcome: 'server_error' })).toBe(1);
    expect(t.stats.upstreamStatus()).toMatchObject({ state: 'failing', kind: 'server_error' });
    expect(t.stats.report('15m').totals.errorRate).toBe(1);
  });

  it('treats a refused request as proof that Kiro is reachable', () => {
    const t = setup();
    t.stats.recordAttempt('acc_cccccccccccc', 'network');
    expect(t.stats.upstreamStatus().state).toBe('failing');
    t.clock.advance(4_000);
    t.stats.recordAttempt('acc_cccccccccccc', 'rate_limited');
    t.clock.advance(3_000);
    expect(t.stats.upstreamStatus()).toMatchObject({ state: 'ok', ageSeconds: 3 });
  });

  it('exposes caches, refreshes, accounts and quota, in-flight requests', async () => {
    const t = setup();
    t.stats.recordCache('response', 'hit', 512);
    t.stats.recordCache('response', 'miss');
    t.stats.recordCache('response', 'coalesced', 100);
    t.stats.setCacheSize('response', 3, 4_096);
    t.stats.recordRefresh('acc_dddddddddddd', 'rejected');
    t.stats.setAccounts([account('acc_dddddddddddd', 'active', 42), account('acc_eeeeeeeeeeee', 'disabled')]);
    t.stats.requestStarted();
    t.stats.requestStarted();
    t.stats.requestEnded();
    const samples = await t.samples();
    expect(sampleSum(samples, 'kirodock_cache_requests_total', { cache: 'response', result: 'hit' })).toBe(1);
    expect(sampleSum(samples, 'kirodock_cache_served_bytes_total', { cache: 'response' })).toBe(612);
    expect(sampleSum(samples, 'kirodock_cache_bytes', { cache: 'response' })).toBe(4_096);
    expect(sampleSum(samples, 'kirodock_token_refreshes_total', { outcome: 'rejected' })).toBe(1);
    expect(sampleSum(samples, 'kirodock_accounts', { state: 'active' })).toBe(1);
    expect(sampleSum(samples, 'kirodock_accounts', { state: 'disabled' })).toBe(1);
    expect(sampleSum(samples, 'kirodock_account_quota_remaining', { account: 'acc_dddddddddddd' })).toBe(42);
    expect(sampleSum(samples, 'kirodock_in_flight_streams')).toBe(1);
    expect(t.stats.report('15m').totals.caches['response']).toEqual({
      hits: 1,
      misses: 1,
      coalesced: 1,
      entries: 3,
      bytes: 4_096,
    });
    t.stats.setAccounts([]);
    expect(sampleSum(await t.samples(), 'kirodock_account_quota_remaining')).toBe(0);
  });

  it('keeps each instance in its own registry', async () => {
    const first = setup();
    const second = setup();
    first.served({ durationMs: 10 });
    expect(sampleSum(await first.samples(), 'kirodock_requests_total')).toBe(1);
    expect(sampleSum(await second.samples(), 'kirodock_requests_total')).toBe(0);
  });
});

describe('createRequestStats → dashboard report', () => {
  it('returns buckets and totals for both windows', () => {
    const t = setup();
    t.served({ durationMs: 100, ttftMs: 40, cache: 'miss', events: usageEnd(10, 5, 30) });
    t.clock.advance(30_000);
    t.served({ durationMs: 10, ttftMs: 5, cache: 'hit' });
    t.clock.advance(45_000);
    t.served({ durationMs: 200, status: 500 });
    const recent = t.stats.report('15m');
    expect(recent.bucketMs).toBe(1_000);
    expect(recent.buckets.map((bucket) => bucket.requests)).toEqual([1, 1, 1]);
    expect(recent.totals).toMatchObject({
      requestsPerMinute: 2,
      errorRate: 1 / 3,
      responseCacheHitRate: 0.5,
      promptCacheHitRate: 0.75,
    });
    // The same 15 minutes by the minute, for lines; each request in the minute it began.
    const minutes = recent.minuteBuckets!;
    expect(minutes.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(3);
    expect(minutes.every((bucket) => bucket.start % 60_000 === 0)).toBe(true);
    expect(minutes[0]!.start).toBeGreaterThan(recent.from - 60_000);
    t.clock.advance(16 * 60_000);
    expect(t.stats.report('15m').minuteBuckets).toEqual([]);
    const day = t.stats.report('24h');
    expect(day).not.toHaveProperty('minuteBuckets');
    expect(day.bucketMs).toBe(60_000);
    expect(day.buckets.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(3);
    expect(day.to - day.from).toBe(24 * 60 * 60_000);
  });
});

describe('healthReport', () => {
  const base = { version: '1.2.3', startedAt: 0, now: 61_000, inFlight: 2 };

  it('is ok when every account is active and Kiro answered', () => {
    const report = healthReport({
      ...base,
      accounts: [{ state: { kind: 'active' } }],
      upstream: { state: 'ok', at: 0, ageSeconds: 1 },
    });
    expect(report).toEqual({
      status: 'ok',
      version: '1.2.3',
      uptimeSeconds: 61,
      accounts: { total: 1, byState: { active: 1 } },
      upstream: { state: 'ok', at: 0, ageSeconds: 1 },
      inFlight: 2,
    });
  });

  it('is degraded when the last upstream call failed, unavailable without an active account', () => {
    const failing = { state: 'failing', kind: 'network', at: 0, ageSeconds: 5 } as const;
    expect(
      healthReport({ ...base, accounts: [{ state: { kind: 'active' } }], upstream: failing }).status,
    ).toBe('degraded');
    expect(healthReport({ ...base, accounts: [], upstream: { state: 'unknown' } }).status).toBe(
      'unavailable',
    );
  });
});

function account(id: string, kind: 'active' | 'disabled', remaining?: number): PoolAccount {
  const record = {
    id,
    label: id,
    source: 'manual' as const,
    authMethod: 'social' as const,
    region: 'us-east-1',
    disabled: kind === 'disabled',
    addedAt: 0,
  };
  const quota =
    remaining === undefined
      ? undefined
      : {
          limit: 100,
          used: 100 - remaining,
          remaining,
          overageCapable: false,
          overageEnabled: false,
          bonuses: [],
          fetchedAt: 0,
        };
  return { record, state: { kind }, inFlight: 0, ...(quota && { quota }) };
}
