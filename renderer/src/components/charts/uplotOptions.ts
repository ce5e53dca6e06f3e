/**
 * uPlot options for the dashboard's time-series charts. Colours are read from the theme's CSS variables at
 * creation, so a chart built after the OS switches between light and dark draws in the new palette.
 */
import type uPlot from 'uplot';
import type { Column } from './statsSeries.ts';

export interface ChartSeries {
  label: string;
  values: Column;
  /** A theme variable such as `--chart-1`. */
  colorVar: string;
  /**
   * Draws each sample as a dot too (sparse measurements separated by gaps would otherwise be invisible); absent:
   * uPlot shows dots only where the samples are few enough to read.
   */
  points?: boolean;
}

export interface ChartLook {
  height: number;
  /** A fixed top of the value axis (1 for ratios); otherwise it follows the data. */
  maxY?: number;
  formatValue(value: number): string;
  /** The dashboard's language: the time axis is labelled in its conventions (24-hour clock in Chinese). */
  language: string;
  /** The width of one bucket: seconds appear on the time axis only when buckets are seconds. */
  bucketMs: number;
}

/** The time axis' labels (uPlot gives epoch seconds), formatted by the language's own rules. */
export function timeLabels(look: ChartLook): (plot: uPlot, splits: number[]) => string[] {
  const format = new Intl.DateTimeFormat(look.language === 'zh' ? 'zh-CN' : 'en', {
    hour: '2-digit',
    minute: '2-digit',
    ...(look.bucketMs < 60_000 && { second: '2-digit' }),
    hourCycle: look.language === 'zh' ? 'h23' : undefined,
  });
  return (_plot, splits) => splits.map((seconds) => (seconds == null ? '' : format.format(seconds * 1_000)));
}

function themeColor(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

/** Values start at 0 so a quiet period reads as quiet, never as a zoomed-in wobble. */
function valueRange(maxY: number | undefined): uPlot.Range.Function {
  return (_plot, _min, max) => [0, maxY ?? (max > 0 ? max * 1.1 : 1)];
}

export function uplotOptions(host: HTMLElement, width: number, series: ChartSeries[], look: ChartLook) {
  const style = getComputedStyle(host);
  const muted = themeColor(style, '--muted', '#5b6470');
  const border = themeColor(style, '--border', '#d8dde3');
  const axis = { stroke: muted, grid: { stroke: border, width: 1 }, ticks: { stroke: border, width: 1 } };
  const options: uPlot.Options = {
    width,
    height: look.height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: valueRange(look.maxY) } },
    axes: [
      { ...axis, values: timeLabels(look) },
      {
        ...axis,
        size: 64,
        values: (_plot, splits) => splits.map((value) => (value == null ? '' : look.formatValue(value))),
      },
    ],
    series: [
      {},
      ...series.map((entry) => {
        const color = themeColor(style, entry.colorVar, '#5b4bdb');
        return {
          label: entry.label,
          stroke: color,
          width: 1.5,
          spanGaps: false,
          points: {
            ...(entry.points !== undefined && { show: entry.points }),
            size: 4,
            fill: color,
            stroke: color,
          },
        };
      }),
    ],
  };
  return options;
}
