/**
 * The usage summary as the page draws it: every bucket of the range on the time axis (zeros where nothing
 * happened, so a quiet hour reads as quiet), one line per name for the biggest spenders, the rest summed.
 */
import type { UsageSummary } from '../../../../shared/teamApi.ts';

export const CHART_LINES = 4;
const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;

export interface UsageChartData {
  /** Epoch seconds, one per bucket. */
  x: number[];
  lines: Array<{ name: string; values: number[]; others?: true }>;
}

export function usageChartData(summary: UsageSummary): UsageChartData {
  const step = BUCKET_MS[summary.query.bucket];
  const first = Math.floor(summary.query.since / step) * step;
  const buckets = Math.max(1, Math.ceil((summary.query.until - first) / step));
  const x = Array.from({ length: buckets }, (_, i) => (first + i * step) / 1000);
  const ranked = summary.totals.map((total) => total.name);
  const shown = ranked.slice(0, ranked.length > CHART_LINES ? CHART_LINES - 1 : CHART_LINES);
  const lines: UsageChartData['lines'] = shown.map((name) => ({
    name,
    values: new Array<number>(buckets).fill(0),
  }));
  const others =
    ranked.length > shown.length
      ? { name: '', values: new Array<number>(buckets).fill(0), others: true as const }
      : undefined;
  for (const point of summary.points) {
    const index = Math.floor((point.at - first) / step);
    if (index < 0 || index >= buckets) continue;
    const line = lines.find((candidate) => candidate.name === point.name) ?? others;
    if (line) line.values[index] = round(line.values[index]! + point.credits);
  }
  return { x, lines: others ? [...lines, others] : lines };
}

function round(credits: number): number {
  return Math.round(credits * 10_000) / 10_000;
}
