import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatsResponse } from '../../../../shared/adminApi.ts';
import { chartedStats } from '../../components/charts/chartWindow.ts';
import { TimeSeriesChart, type ChartSeries } from '../../components/charts/TimeSeriesChart.tsx';
import { statsSeries, type Column } from '../../components/charts/statsSeries.ts';
import { formatMs, formatNumber, formatPercent } from '../../format.ts';

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
    // Dots only second by second, where a lone sample would be invisible as a line; uPlot decides otherwise.
    const dots = perSecond ? true : undefined;
    const line = (label: string, values: Column, colorVar: string, points = dots): ChartSeries => ({
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

/** The charts, with a closer look at the last two minutes second by second for the 15-minute window. */
export function OverviewCharts({ stats }: { stats: StatsResponse }) {
  const { t } = useTranslation('overview');
  const [zoomed, setZoomed] = useState(false);
  const charted = useMemo(() => chartedStats(stats, zoomed), [stats, zoomed]);
  const { x, charts } = useOverviewCharts(charted);
  return (
    <>
      {stats.window === '15m' ? (
        <div className="overview-zoom">
          <button
            type="button"
            className="secondary"
            aria-pressed={zoomed}
            onClick={() => setZoomed(!zoomed)}
          >
            {t('charts.zoom')}
          </button>
          <span className="muted">{zoomed ? t('charts.zoomedHint') : t('charts.perMinuteHint')}</span>
        </div>
      ) : null}
      <div className="overview-charts">
        {charts.map((chart) => (
          <div className="card" key={chart.name}>
            <TimeSeriesChart x={x} bucketMs={charted.bucketMs} {...chart} />
          </div>
        ))}
      </div>
    </>
  );
}
