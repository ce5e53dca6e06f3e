import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UsageDimension, UsageSummary } from '../../../shared/teamApi.ts';
import { USAGE_DIMENSIONS } from '../../../shared/teamApi.ts';
import { TimeSeriesChart } from '../components/charts/TimeSeriesChart.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { ErrorBanner } from '../components/ErrorBanner.tsx';
import { Loading } from '../components/Loading.tsx';
import { StatCard } from '../components/StatCard.tsx';
import { TableScroll } from '../components/TableScroll.tsx';
import { formatNumber } from '../format.ts';
import { useDashboard } from '../state/DashboardProvider.tsx';
import { KeysPanel } from './usage/KeysPanel.tsx';
import { formatCredits } from './usage/formatCredits.ts';
import { usageChartData } from './usage/usageSeries.ts';
// The segmented buttons look as on the overview.
import './overview.css';
import './usage/usage.css';

const RANGES = {
  '24h': { ms: 86_400_000, bucket: 'hour' },
  '7d': { ms: 7 * 86_400_000, bucket: 'day' },
  '30d': { ms: 30 * 86_400_000, bucket: 'day' },
} as const;
type Range = keyof typeof RANGES;
/** The ledger changes with every request; once a minute keeps the page current without polling per request. */
const REFRESH_MS = 60_000;

/** Credits, requests and tokens from the usage ledger per key, model or account over time, and the team's keys. */
export function UsagePage() {
  const { t } = useTranslation('usage');
  const [range, setRange] = useState<Range>('24h');
  const [by, setBy] = useState<UsageDimension>('key');
  const { summary, error } = useUsage(range, by);
  return (
    <>
      <div className="page-header">
        <h1>{t('title')}</h1>
        <Segmented<Range>
          label={t('range.label')}
          options={Object.keys(RANGES) as Range[]}
          value={range}
          onChange={setRange}
          text={(name) => t(`range.${name}`)}
        />
        <Segmented<UsageDimension>
          label={t('by.label')}
          options={USAGE_DIMENSIONS}
          value={by}
          onChange={setBy}
          text={(name) => t(`by.${name}`)}
        />
      </div>
      {error ? <ErrorBanner>{t('failed', { message: error })}</ErrorBanner> : null}
      {summary === undefined ? (
        error ? null : (
          <Loading>{t('loading')}</Loading>
        )
      ) : (
        <UsageBody summary={summary} by={by} />
      )}
      <KeysPanel />
    </>
  );
}

function Segmented<T extends string>(props: {
  label: string;
  options: readonly T[];
  value: T;
  onChange(value: T): void;
  text(value: T): string;
}) {
  return (
    <div className="segmented" role="group" aria-label={props.label}>
      {props.options.map((name) => (
        <button
          key={name}
          type="button"
          aria-pressed={name === props.value}
          onClick={() => props.onChange(name)}
        >
          {props.text(name)}
        </button>
      ))}
    </div>
  );
}

function useUsage(range: Range, by: UsageDimension) {
  const { client } = useDashboard();
  const [summary, setSummary] = useState<UsageSummary>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stopped = false;
    const load = () =>
      client.usage({ since: Date.now() - RANGES[range].ms, by, bucket: RANGES[range].bucket }).then(
        (next) => {
          if (stopped) return;
          setSummary(next);
          setError(undefined);
        },
        (failure: Error) => {
          if (!stopped) setError(failure.message);
        },
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [client, range, by]);
  return { summary: summary?.query.by === by ? summary : undefined, error };
}

function UsageBody({ summary, by }: { summary: UsageSummary; by: UsageDimension }) {
  const { t, i18n } = useTranslation('usage');
  const number = (value: number) => formatNumber(value, i18n.language);
  const credits = (value: number) => formatCredits(value, i18n.language);
  const chart = useMemo(() => usageChartData(summary), [summary]);
  if (!summary.ledger) return <p className="card muted">{t('noLedger')}</p>;
  if (summary.totals.length === 0)
    return (
      <div className="card">
        <EmptyState title={t('empty.title')}>{t('empty.body')}</EmptyState>
      </div>
    );
  const sum = (field: 'credits' | 'requests' | 'errors' | 'inputTokens' | 'outputTokens') =>
    summary.totals.reduce((total, row) => total + row[field], 0);
  const dimension = t(`by.${by}`);
  const nameOf = (name: string) => (name === '' ? t('chart.unnamed') : name);
  return (
    <>
      <div className="grid">
        <StatCard testId="usage-credits" label={t('cards.credits')} value={credits(sum('credits'))} />
        <StatCard
          testId="usage-requests"
          label={t('cards.requests')}
          value={number(sum('requests'))}
          detail={t('cards.errors', { count: sum('errors') })}
        />
        <StatCard
          testId="usage-tokens"
          label={t('cards.tokens')}
          value={number(sum('inputTokens') + sum('outputTokens'))}
          detail={t('cards.tokensDetail', {
            input: number(sum('inputTokens')),
            output: number(sum('outputTokens')),
          })}
        />
      </div>
      <div className="card">
        <TimeSeriesChart
          name="usage-credits"
          title={t('chart.title', { by: dimension })}
          x={chart.x}
          series={chart.lines.map((line, index) => ({
            label: line.others ? t('chart.others') : nameOf(line.name),
            values: line.values,
            colorVar: `--chart-${index + 1}`,
            points: true,
          }))}
          formatValue={credits}
        />
      </div>
      <section className="card" aria-labelledby="usage-table-title">
        <h2 id="usage-table-title">{t('table.title', { by: dimension })}</h2>
        <TableScroll label={t('table.title', { by: dimension })}>
          <table className="usage-table">
            <thead>
              <tr>
                {(['name', 'requests', 'errors', 'credits', 'input', 'output'] as const).map((column) => (
                  <th key={column} scope="col">
                    {t(`table.${column}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {summary.totals.map((row) => (
                <tr key={row.name} data-testid="usage-row">
                  <th scope="row">{nameOf(row.name)}</th>
                  <td>{number(row.requests)}</td>
                  <td>{number(row.errors)}</td>
                  <td>{credits(row.credits)}</td>
                  <td>{number(row.inputTokens)}</td>
                  <td>{number(row.outputTokens)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>
    </>
  );
}
