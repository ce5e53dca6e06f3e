import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { STATS_WINDOWS, type StatsResponse, type StatsWindow } from '../../../shared/adminApi.ts';
import type { AdminClient } from '../api/adminClient.ts';
import { tokenTotals } from '../components/charts/statsSeries.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { Loading } from '../components/Loading.tsx';
import { StatCard } from '../components/StatCard.tsx';
import { formatNumber, formatPercent } from '../format.ts';
import type { DashboardState } from '../state/dashboardState.ts';
import { useDashboard } from '../state/DashboardProvider.tsx';
import { ModelUsage } from './overview/ModelUsage.tsx';
import { OverviewCharts } from './overview/OverviewCharts.tsx';
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
        <>
          <OverviewCharts stats={stats} />
          <ModelUsage stats={stats} requests={state.requests} />
        </>
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
    <div className="grid overview-stats">
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
