import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { STATS_WINDOWS, type StatsResponse, type StatsWindow } from '../../../shared/adminApi.ts';
import type { AdminClient } from '../api/adminClient.ts';
import { TimeSeriesChart, type ChartSeries } from '../components/charts/TimeSeriesChart.tsx';
import { statsSeries, tokenTotals, type Column } from '../components/charts/statsSeries.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { Loading } from '../components/Loading.tsx';
import { StatCard } from '../components/StatCard.tsx';
import { formatMs, formatNumber, formatPercent } from '../format.ts';
import type { DashboardState } from '../state/dashboardState.ts';
import { useDashboard } from '../state/DashboardProvider.tsx';
import './overview.css';

/** The 24-hour window moves in one-minute buckets, so reading it more often would show nothing new. */
export const DAY_STATS_REFRESH_MS = 60_000;

/** Proxy health, traffic and caches at a glance, over the last 15 minutes (live) or the last 24 hours. */
export function OverviewPage() {
  const { t } = useTranslation('overview');
  const { state, client } = useDashboard();
  const [span, setSpan] = useState<StatsWindow>('15m');
  const day = useDayStats(client, span === '24h');
  const stats = span === '15m' ? state.stats15m : day.stats;

  return (
    <>
      <div className="page-header">
        <h1>{t('title')}</h1>
        <div className="segmented" role="group" aria-label={t('window.label')}>
          {STATS_WINDOWS.map((name) => (
            <button key={name} type="button" aria-pressed={name === span} onClick={() => setSpan(name)}>
              {t(`window.${name}`)}
            </button>
          ))}
        </div>
      </div>
      {span === '24h' && day.error ? (
        <ErrorBanner onDismiss={day.retry} dismissLabel={t('actions.retry', { ns: 'common' })}>
          {t('dayFailed', { message: day.error })}
        </ErrorBanner>
      ) : null}
      {stats ? <OverviewBody stats={stats} state={state} /> : <Loading>{t('loading')}</Loading>}
    </>
  );
}

/** Reads the 24-hour window while it is shown, then again every minute; nothing while the 15-minute one is. */
function useDayStats(client: AdminClient, active: boolean) {
  const [stats, setStats] = useState<StatsResponse>();
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const load = () =>
      client.stats('24h').then(
        (next) => {
          if (stopped) return;
          setStats(next);
          setError(undefined);
        },
        (failure: Error) => {
          if (!stopped) setError(failure.message);
        },
      );
    void load();
    const timer = setInterval(() => void load(), DAY_STATS_REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [client, active, attempt]);

  return { stats, error, retry: () => setAttempt((count) => count + 1) };
}

function endpointOf(state: DashboardState): string {
  const listen = state.settings?.listening ?? state.settings?.listen;
  return listen ? `http://${listen.host}:${listen.port}` : 'http://127.0.0.1:8765';
}

function OverviewBody({ stats, state }: { stats: StatsResponse; state: DashboardState }) {
  const { t } = useTranslation('overview');
  const endpoint = endpointOf(state);
  return (
    <>
      <OverviewStats stats={stats} state={state} endpoint={endpoint} />
      {stats.buckets.length === 0 ? (
        <div className="card">
          <EmptyState
            title={stats.window === '15m' ? t('empty.title15m') : t('empty.title24h')}
            action={<a href="#/settings">{t('empty.action')}</a>}
          >
            {t('empty.body', { endpoint })}
          </EmptyState>
        </div>
      ) : (
        <OverviewCharts stats={stats} />
      )}
    </>
  );
}

/** testId, label, value, detail */
type OverviewCard = [string, string, string, ReactNode];

function OverviewStats({
  stats,
  state,
  endpoint,
}: {
  stats: StatsResponse;
  state: DashboardState;
  endpoint: string;
}) {
  const { t, i18n } = useTranslation('overview');
  const language = i18n.language;
  const { totals } = stats;
  const tokens = tokenTotals(stats);
  const counted = requestTotals(stats);
  const status = state.unreachable ? 'unreachable' : (state.health?.status ?? 'checking');
  const number = (value: number) => formatNumber(value, language);
  const rate = (value: number | undefined) =>
    value === undefined ? t('stats.notAvailable') : formatPercent(value, language);
  // An absent rate means the cache took no part, which is not the same as a 0 % hit rate.
  const unusedOr = (value: number | undefined, detail?: string) =>
    value === undefined ? t('stats.cacheUnused') : detail;
  const cards: OverviewCard[] = [
    ['stat-proxy', t('stats.proxy'), t(`status.${status}`, { ns: 'common' }), <code>{endpoint}</code>],
    ['stat-rpm', t('stats.rpm'), number(totals.requestsPerMinute), t('stats.rpmDetail')],
    [
      'stat-error-rate',
      t('stats.errorRate'),
      formatPercent(totals.errorRate, language),
      t('stats.errorRateDetail', { errors: number(counted.errors), requests: number(counted.requests) }),
    ],
    [
      'stat-active-streams',
      t('stats.activeStreams'),
      number(totals.activeStreams),
      t('stats.activeStreamsDetail'),
    ],
    [
      'stat-response-cache-hit-rate',
      t('stats.responseCache'),
      rate(totals.responseCacheHitRate),
      unusedOr(totals.responseCacheHitRate),
    ],
    [
      'stat-prompt-cache-hit-rate',
      t('stats.promptCache'),
      rate(totals.promptCacheHitRate),
      unusedOr(totals.promptCacheHitRate, t('stats.promptCacheDetail')),
    ],
    [
      'stat-tokens',
      t('stats.tokens'),
      `${number(tokens.input)} / ${number(tokens.output)}`,
      stats.window === '15m' ? t('stats.tokensDetail15m') : t('stats.tokensDetail24h'),
    ],
  ];
  return (
    <div className="grid">
      {cards.map(([testId, label, value, detail]) => (
        <StatCard key={testId} testId={testId} label={label} value={value} detail={detail} />
      ))}
    </div>
  );
}

function requestTotals(stats: StatsResponse): { requests: number; errors: number } {
  return stats.buckets.reduce(
    (sum, bucket) => ({ requests: sum.requests + bucket.requests, errors: sum.errors + bucket.errors }),
    { requests: 0, errors: 0 },
  );
}

interface OverviewChart {
  name: string;
  title: string;
  series: ChartSeries[];
  formatValue(value: number): string;
  maxY?: number;
}

/** The four charts of a window: traffic, time to first token, total latency, cache hit rates. */
function useOverviewCharts(stats: StatsResponse): { x: number[]; charts: OverviewChart[] } {
  const { t, i18n } = useTranslation('overview');
  const language = i18n.language;
  const columns = useMemo(() => statsSeries(stats), [stats]);
  const perSecond = stats.bucketMs < 60_000;
  const charts = useMemo(() => {
    const line = (label: string, values: Column, colorVar: string, points = true): ChartSeries => ({
      label,
      values,
      colorVar,
      points,
    });
    const percentiles = (p50: Column, p95: Column) => [
      line(t('charts.p50'), p50, '--chart-1'),
      line(t('charts.p95'), p95, '--chart-3'),
    ];
    return [
      {
        name: 'requests',
        title: perSecond ? t('charts.requestsPerSecond') : t('charts.requestsPerMinute'),
        formatValue: (value: number) => formatNumber(value, language),
        series: [
          line(t('charts.requests'), columns.requests, '--chart-1', false),
          line(t('charts.errors'), columns.errors, '--chart-4', false),
        ],
      },
      {
        name: 'ttft',
        title: t('charts.ttft'),
        formatValue: formatMs,
        series: percentiles(columns.ttftP50, columns.ttftP95),
      },
      {
        name: 'latency',
        title: t('charts.latency'),
        formatValue: formatMs,
        series: percentiles(columns.latencyP50, columns.latencyP95),
      },
      {
        name: 'cache-hit-rate',
        title: t('charts.cache'),
        formatValue: (value: number) => formatPercent(value, language),
        maxY: 1,
        series: [
          line(t('charts.responseCache'), columns.responseCacheHitRate, '--chart-2'),
          line(t('charts.promptCache'), columns.promptCacheHitRate, '--chart-1'),
        ],
      },
    ];
  }, [columns, language, perSecond, t]);
  return { x: columns.x, charts };
}

function OverviewCharts({ stats }: { stats: StatsResponse }) {
  const { x, charts } = useOverviewCharts(stats);
  return (
    <div className="overview-charts">
      {charts.map((chart) => (
        <div className="card" key={chart.name}>
          <TimeSeriesChart x={x} {...chart} />
        </div>
      ))}
    </div>
  );
}
