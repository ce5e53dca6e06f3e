import { useEffect, useId, useMemo, useRef, useSyncExternalStore, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type uPlot from 'uplot';
import { peakOf } from './statsSeries.ts';
import { uplotOptions, type ChartLook, type ChartSeries } from './uplotOptions.ts';
import './charts.css';

export type { ChartSeries } from './uplotOptions.ts';

export interface TimeSeriesChartProps extends Partial<Omit<ChartLook, 'language'>> {
  /** Names the chart for tests and styles: `data-testid="chart-<name>"`. */
  name: string;
  title: string;
  /** Epoch seconds, one per plotted bucket. */
  x: number[];
  series: ChartSeries[];
  formatValue(value: number): string;
}

const DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * uPlot needs a canvas and matchMedia (it calls matchMedia when its module loads), which a DOM without layout
 * such as jsdom lacks; there the chart keeps its caption and text legend and draws nothing.
 */
function canDraw(): boolean {
  if (typeof window.matchMedia !== 'function' || typeof ResizeObserver !== 'function') return false;
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

function subscribeToScheme(onChange: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => {};
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

function prefersDark(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(DARK_QUERY).matches;
}

interface PlotHandle {
  plot?: uPlot;
  dispose(): void;
}

/** Loads uPlot, draws into `element` and keeps the width of the element; nothing where drawing is impossible. */
function mountPlot(
  element: HTMLElement,
  series: ChartSeries[],
  look: ChartLook,
  data: () => uPlot.AlignedData,
) {
  const handle: PlotHandle & { disposed: boolean; observer?: ResizeObserver } = {
    disposed: false,
    dispose() {
      handle.disposed = true;
      handle.observer?.disconnect();
      handle.plot?.destroy();
      handle.plot = undefined;
    },
  };
  if (!canDraw()) return handle;
  void import('uplot').then(({ default: UPlot }) => {
    if (handle.disposed) return;
    try {
      const plot = new UPlot(
        uplotOptions(element, element.clientWidth || 600, series, look),
        data(),
        element,
      );
      handle.plot = plot;
      handle.observer = new ResizeObserver(() =>
        plot.setSize({ width: element.clientWidth, height: look.height }),
      );
      handle.observer.observe(element);
    } catch {
      // Without a drawing surface the caption and legend still tell the story.
    }
  });
  return handle;
}

/**
 * Keeps a uPlot chart in `host`: rebuilt when what is drawn changes shape or colour (or the OS theme flips),
 * fed new numbers through setData otherwise, destroyed on unmount.
 */
function useUplot(
  host: RefObject<HTMLDivElement | null>,
  series: ChartSeries[],
  data: uPlot.AlignedData,
  look: ChartLook,
) {
  const handle = useRef<PlotHandle | null>(null);
  const latest = useRef({ data, formatValue: look.formatValue });
  const dark = useSyncExternalStore(subscribeToScheme, prefersDark, () => false);
  const shape = series
    .map((entry) => `${entry.label}\u0000${entry.colorVar}\u0000${entry.points}`)
    .join('\u0001');
  const { height, maxY, language, bucketMs } = look;

  useEffect(() => {
    latest.current = { data, formatValue: look.formatValue };
    handle.current?.plot?.setData(data);
  }, [data, look.formatValue]);

  useEffect(() => {
    if (!host.current) return;
    const formatValue = (value: number) => latest.current.formatValue(value);
    const mounted = mountPlot(
      host.current,
      series,
      { height, maxY, formatValue, language, bucketMs },
      () => latest.current.data,
    );
    handle.current = mounted;
    return () => {
      mounted.dispose();
      handle.current = null;
    };
    // `series` is read through `shape`, which is what decides a rebuild; `dark` re-reads the theme's colours.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, dark, height, maxY, language, bucketMs, host]);
}

/** A line chart of a time series that fills its container's width and follows the OS's light or dark theme. */
export function TimeSeriesChart({
  name,
  title,
  x,
  series,
  formatValue,
  height = 180,
  maxY,
  bucketMs = 60_000,
}: TimeSeriesChartProps) {
  const { i18n } = useTranslation();
  const titleId = useId();
  const host = useRef<HTMLDivElement>(null);
  const data = useMemo<uPlot.AlignedData>(() => [x, ...series.map((entry) => entry.values)], [x, series]);
  useUplot(host, series, data, { height, maxY, formatValue, language: i18n.language, bucketMs });
  const samples = useMemo(() => countSamples(x.length, series), [x, series]);

  return (
    <figure
      className="chart"
      data-testid={`chart-${name}`}
      data-points={x.length}
      data-samples={samples}
      aria-labelledby={titleId}
    >
      <figcaption>
        <span id={titleId} className="chart-title">
          {title}
        </span>
        <ChartLegend series={series} formatValue={formatValue} />
      </figcaption>
      <div className="chart-canvas" ref={host} style={{ minHeight: height }} aria-hidden="true" />
    </figure>
  );
}

/** Buckets where some series has a value other than zero: what the chart actually shows. */
function countSamples(points: number, series: ChartSeries[]): number {
  let count = 0;
  for (let i = 0; i < points; i++) {
    if (series.some((entry) => (entry.values[i] ?? 0) !== 0)) count++;
  }
  return count;
}

/** The series' names and colours with their peaks: the chart's content for anyone who cannot see the lines. */
function ChartLegend({ series, formatValue }: Pick<TimeSeriesChartProps, 'series' | 'formatValue'>) {
  const { t } = useTranslation();
  return (
    <ul className="chart-legend">
      {series.map((entry) => {
        const peak = peakOf(entry.values);
        return (
          <li key={entry.label}>
            <span
              className="chart-swatch"
              style={{ background: `var(${entry.colorVar})` }}
              aria-hidden="true"
            />
            <span>{entry.label}</span>{' '}
            <span className="muted">
              {peak === undefined ? t('chart.noSamples') : t('chart.peak', { value: formatValue(peak) })}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
