/**
 * Everything Kiro Dock counts about its traffic, fed from the request path (one call per answered request,
 * one per upstream attempt), the pool, the refresher and the caches. It keeps the Prometheus metrics and the
 * dashboard's bounded time series in step, and remembers the last upstream outcome for /health.
 */
import { creditsOf } from '../server/turn/requestCredits.ts';
import type {
  StatsBucket,
  CacheStatsView,
  StatsResponse,
  StatsWindow,
  UpstreamStatusView,
} from '../../../shared/adminApi.ts';
import type { PoolAccount } from '../accounts/accountPool.ts';
import { UpstreamError } from '../kiro/upstreamError.ts';
import type { Clock } from '../ports.ts';
import type { RequestRecord } from '../server/turn/requestRecord.ts';
import { createMetricsRegistry } from './metricsRegistry.ts';
import { createTimeSeries, type TimeSeries } from './timeSeries.ts';

export type CacheResult = 'hit' | 'miss' | 'coalesced';
export type RefreshOutcome = 'ok' | 'failed' | 'rejected';

export interface RequestStatsOptions {
  /** Its monotonicNow() is the clock of RequestRecord's `started` / `firstOutputAt`. */
  clock: Clock;
}

export interface RequestStats {
  /** One answered API request; `route` is the matched path (/v1/messages…). */
  recordRequest(route: string, record: RequestRecord): void;
  requestStarted(): void;
  requestEnded(): void;
  readonly inFlight: number;
  /** One call to Kiro that ended: 'ok', the UpstreamError kind, 'aborted' or 'error'. */
  recordAttempt(accountId: string, outcome: string): void;
  recordRefresh(accountId: string, outcome: RefreshOutcome): void;
  /** A cache lookup; `bytes` is what a hit answered with. */
  recordCache(cache: string, result: CacheResult, bytes?: number): void;
  setCacheSize(cache: string, entries: number, bytes: number): void;
  /** Re-reads the account gauges (state counts, quota left) from the pool's accounts. */
  setAccounts(accounts: readonly PoolAccount[]): void;
  report(window: StatsWindow): StatsResponse;
  upstreamStatus(): UpstreamStatusView;
  metricsText(): Promise<string>;
  readonly metricsContentType: string;
}

/** Upstream failures that say nothing about Kiro's reachability: the request or the account was at fault. */
const REACHABLE_FAILURES = new Set([
  'invalid_request',
  'context_too_long',
  'invalid_token',
  'suspended',
  'quota_exhausted',
  'rate_limited',
  'refresh_rejected',
]);

export function createRequestStats(options: RequestStatsOptions): RequestStats {
  const { clock } = options;
  const monotonicNow = () => clock.monotonicNow();
  const metrics = createMetricsRegistry();
  const series: Record<StatsWindow, TimeSeries> = {
    '15m': createTimeSeries({ clock, bucketMs: 1_000, capacity: 15 * 60 }),
    '24h': createTimeSeries({ clock, bucketMs: 60_000, capacity: 24 * 60 }),
  };
  const caches = new Map<string, CacheStatsView>();
  let inFlight = 0;
  let lastUpstream: { ok: boolean; kind?: string; at: number } | undefined;

  function cacheView(cache: string): CacheStatsView {
    let view = caches.get(cache);
    if (!view) caches.set(cache, (view = { hits: 0, misses: 0, coalesced: 0, entries: 0, bytes: 0 }));
    return view;
  }

  function recordAttempt(accountId: string, outcome: string): void {
    metrics.upstreamAttempts.inc({ account: accountId, outcome });
    if (outcome === 'aborted') return;
    lastUpstream = {
      ok: outcome === 'ok' || REACHABLE_FAILURES.has(outcome),
      kind: outcome,
      at: clock.now(),
    };
  }

  return {
    recordRequest(route, record) {
      const facts = factsOf(record, monotonicNow());
      const model = record.modelId ?? 'none';
      const account = record.accountId ?? 'none';
      metrics.requests.inc({ route, model, account, status: String(record.status) });
      metrics.requestDuration.observe({ route, model }, facts.latencyMs / 1000);
      if (facts.ttftMs !== undefined) metrics.timeToFirstToken.observe({ route, model }, facts.ttftMs / 1000);
      const { usage } = facts;
      if (usage) {
        metrics.tokens.inc({ direction: 'input', model }, usage.inputTokens);
        metrics.tokens.inc({ direction: 'output', model }, usage.outputTokens);
        metrics.tokens.inc({ direction: 'cache_read', model }, usage.cacheReadInputTokens ?? 0);
        metrics.tokens.inc({ direction: 'cache_creation', model }, usage.cacheCreationInputTokens ?? 0);
        metrics.promptCacheReadTokens.inc({ account, model }, usage.cacheReadInputTokens ?? 0);
        metrics.promptInputTokens.inc({ account, model }, usage.inputTokens);
      }
      const credits = creditsOf(record);
      if (credits !== undefined) metrics.credits.inc({ account, model }, credits);
      const finalAttempt = finalAttemptOutcome(record);
      if (finalAttempt && record.accountId) recordAttempt(record.accountId, finalAttempt);
      const sample = {
        error: record.status >= 500 || record.error instanceof UpstreamError,
        ttftMs: facts.ttftMs,
        latencyMs: facts.latencyMs,
        inputTokens: usage?.inputTokens ?? 0,
        outputTokens: usage?.outputTokens ?? 0,
        responseCache: responseCacheOf(record),
        promptCacheReadTokens: usage?.cacheReadInputTokens ?? 0,
        promptInputTokens: usage?.inputTokens ?? 0,
      };
      series['15m'].record(sample);
      series['24h'].record(sample);
    },
    requestStarted() {
      inFlight += 1;
      metrics.inFlightStreams.set(inFlight);
    },
    requestEnded() {
      inFlight = Math.max(0, inFlight - 1);
      metrics.inFlightStreams.set(inFlight);
    },
    get inFlight() {
      return inFlight;
    },
    recordAttempt,
    recordRefresh(accountId, outcome) {
      metrics.tokenRefreshes.inc({ account: accountId, outcome });
    },
    recordCache(cache, result, bytes) {
      metrics.cacheRequests.inc({ cache, result });
      const view = cacheView(cache);
      if (result === 'hit') view.hits += 1;
      else if (result === 'miss') view.misses += 1;
      else view.coalesced += 1;
      if (bytes !== undefined && result !== 'miss') metrics.cacheServedBytes.inc({ cache }, bytes);
    },
    setCacheSize(cache, entries, bytes) {
      metrics.cacheEntries.set({ cache }, entries);
      metrics.cacheBytes.set({ cache }, bytes);
      Object.assign(cacheView(cache), { entries, bytes });
    },
    setAccounts(accounts) {
      metrics.accounts.reset();
      metrics.accountQuotaRemaining.reset();
      for (const account of accounts) {
        metrics.accounts.inc({ state: account.state.kind });
        if (account.quota)
          metrics.accountQuotaRemaining.set({ account: account.record.id }, account.quota.remaining);
      }
    },
    report(window) {
      return buildReport(window, series, { inFlight, caches, now: clock.now() });
    },
    upstreamStatus() {
      if (!lastUpstream) return { state: 'unknown' };
      const { at } = lastUpstream;
      const ageSeconds = Math.max(0, Math.round((clock.now() - at) / 1000));
      return lastUpstream.ok
        ? { state: 'ok', at, ageSeconds }
        : { state: 'failing', kind: lastUpstream.kind ?? 'error', at, ageSeconds };
    },
    metricsText: () => metrics.registry.metrics(),
    metricsContentType: metrics.registry.contentType,
  };
}

function factsOf(record: RequestRecord, monotonicNow: number) {
  const end = record.events?.findLast((event) => event.type === 'end');
  return {
    latencyMs: Math.max(0, monotonicNow - record.started),
    ttftMs:
      record.firstOutputAt === undefined ? undefined : Math.max(0, record.firstOutputAt - record.started),
    usage: end?.type === 'end' ? end.usage : undefined,
  };
}

/**
 * The attempt that ended the request (earlier ones were reported as they failed over). A request that never
 * reached Kiro, or failed while choosing the next account, has none.
 */
function finalAttemptOutcome(record: RequestRecord): string | undefined {
  if (!record.attempts) return undefined;
  if (record.error === undefined) return 'ok';
  if (record.error instanceof UpstreamError) return record.error.kind;
  return record.status === 499 ? 'aborted' : undefined;
}

function responseCacheOf(record: RequestRecord): 'hit' | 'miss' | undefined {
  if (record.cache === 'hit' || record.cache === 'coalesced') return 'hit';
  return record.cache === 'miss' ? 'miss' : undefined;
}

/** The minute buckets of the day series from the minute that holds `from` on: 15 min as lines, not dots. */
function minutesSince(minutes: TimeSeries, from: number): StatsBucket[] {
  const first = Math.floor(from / minutes.bucketMs) * minutes.bucketMs;
  return minutes.buckets().filter((bucket) => bucket.start >= first);
}

function buildReport(
  window: StatsWindow,
  series: Record<StatsWindow, TimeSeries>,
  live: { inFlight: number; caches: Map<string, CacheStatsView>; now: number },
): StatsResponse {
  const chosen = series[window];
  const totals = chosen.totals();
  const to = (Math.floor(live.now / chosen.bucketMs) + 1) * chosen.bucketMs;
  const cacheLookups = totals.responseCacheHits + totals.responseCacheMisses;
  const promptTokens = totals.promptCacheReadTokens + totals.promptInputTokens;
  const from = to - chosen.capacity * chosen.bucketMs;
  return {
    window,
    bucketMs: chosen.bucketMs,
    from,
    to,
    buckets: chosen.buckets(),
    ...(window === '15m' && { minuteBuckets: minutesSince(series['24h'], from) }),
    totals: {
      requestsPerMinute: series['15m'].totals(60_000).requests,
      errorRate: totals.requests === 0 ? 0 : totals.errors / totals.requests,
      activeStreams: live.inFlight,
      ...(cacheLookups > 0 && { responseCacheHitRate: totals.responseCacheHits / cacheLookups }),
      ...(promptTokens > 0 && { promptCacheHitRate: totals.promptCacheReadTokens / promptTokens }),
      caches: Object.fromEntries([...live.caches].map(([name, view]) => [name, { ...view }])),
    },
  };
}
