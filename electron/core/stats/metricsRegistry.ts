/**
 * The Prometheus metrics of one core. Each core owns its registry (never prom-client's global one), so several
 * cores in one process (the tests) never share or double-register a metric. Account labels are account ids
 * (`acc_…`), never an email or a token.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const PREFIX = 'kirodock_';

/** 5 ms … 120 s: a cached answer arrives in milliseconds, a long thinking turn in minutes. */
export const LATENCY_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 45, 60, 90, 120,
];

export interface MetricsRegistry {
  readonly registry: Registry;
  readonly requests: Counter<'route' | 'model' | 'account' | 'status'>;
  readonly timeToFirstToken: Histogram<'route' | 'model'>;
  readonly requestDuration: Histogram<'route' | 'model'>;
  readonly upstreamAttempts: Counter<'account' | 'outcome'>;
  readonly tokens: Counter<'direction' | 'model'>;
  readonly promptCacheReadTokens: Counter<'account' | 'model'>;
  readonly promptInputTokens: Counter<'account' | 'model'>;
  readonly credits: Counter<'account' | 'model'>;
  readonly cacheRequests: Counter<'cache' | 'result'>;
  readonly cacheServedBytes: Counter<'cache'>;
  readonly cacheEntries: Gauge<'cache'>;
  readonly cacheBytes: Gauge<'cache'>;
  readonly tokenRefreshes: Counter<'account' | 'outcome'>;
  readonly accounts: Gauge<'state'>;
  readonly accountQuotaRemaining: Gauge<'account'>;
  readonly inFlightStreams: Gauge;
}

export function createMetricsRegistry(): MetricsRegistry {
  const registry = new Registry();
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name: PREFIX + name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name: PREFIX + name, help, labelNames, registers });
  const histogram = (name: string, help: string) =>
    new Histogram<'route' | 'model'>({
      name: PREFIX + name,
      help,
      labelNames: ['route', 'model'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
  return {
    registry,
    requests: counter('requests_total', 'API requests answered', ['route', 'model', 'account', 'status']),
    timeToFirstToken: histogram('time_to_first_token_seconds', 'From request arrival to the first output'),
    requestDuration: histogram('request_duration_seconds', 'From request arrival to its end'),
    upstreamAttempts: counter('upstream_attempts_total', 'Calls to Kiro by outcome', ['account', 'outcome']),
    tokens: counter('tokens_total', 'Tokens by direction', ['direction', 'model']),
    promptCacheReadTokens: counter(
      'prompt_cache_read_tokens_total',
      'Input tokens Kiro read from its prompt cache',
      ['account', 'model'],
    ),
    promptInputTokens: counter('prompt_input_tokens_total', 'Uncached input tokens', ['account', 'model']),
    credits: counter('credits_total', 'Kiro credits metered for answered turns', ['account', 'model']),
    cacheRequests: counter('cache_requests_total', 'Lookups in Kiro Dock caches', ['cache', 'result']),
    cacheServedBytes: counter('cache_served_bytes_total', 'Bytes answered from a cache', ['cache']),
    cacheEntries: gauge('cache_entries', 'Entries held by a cache', ['cache']),
    cacheBytes: gauge('cache_bytes', 'Bytes held by a cache', ['cache']),
    tokenRefreshes: counter('token_refreshes_total', 'Access token refreshes', ['account', 'outcome']),
    accounts: gauge('accounts', 'Accounts by state', ['state']),
    accountQuotaRemaining: gauge('account_quota_remaining', 'Credits left', ['account']),
    inFlightStreams: gauge('in_flight_streams', 'API requests being served now', []),
  };
}
