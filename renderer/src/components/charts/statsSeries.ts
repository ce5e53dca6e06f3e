/**
 * Turns a stats window into the aligned columns a time-series chart plots. The core lists only buckets with
 * activity, so every missing slot is filled here: counts become 0 (nothing happened), while latencies and rates
 * become null (nothing was measured), which the chart draws as a gap rather than a misleading drop to zero.
 */
import type { StatsBucket, StatsResponse } from '../../../../shared/adminApi.ts';

export type Column = (number | null)[];

export interface StatsSeries {
  /** Bucket starts in epoch seconds (the unit uPlot's time axis expects), one per slot of the window. */
  x: number[];
  requests: number[];
  errors: number[];
  ttftP50: Column;
  ttftP95: Column;
  latencyP50: Column;
  latencyP95: Column;
  /** Response-cache hits / lookups in the bucket; null without a lookup. */
  responseCacheHitRate: Column;
  /** Prompt-cache read tokens / all input tokens in the bucket; null without input. */
  promptCacheHitRate: Column;
}

export function slotCount(stats: Pick<StatsResponse, 'from' | 'to' | 'bucketMs'>): number {
  return Math.max(0, Math.round((stats.to - stats.from) / stats.bucketMs));
}

/** Every slot of [from, to), each holding the listed bucket that starts there, if any. */
export function alignBuckets(stats: StatsResponse): (StatsBucket | undefined)[] {
  const slots: (StatsBucket | undefined)[] = new Array<StatsBucket | undefined>(slotCount(stats)).fill(
    undefined,
  );
  for (const bucket of stats.buckets) {
    const index = Math.floor((bucket.start - stats.from) / stats.bucketMs);
    // A bucket outside the window (clock skew between the answer's edges and its list) is not plotted.
    if (index >= 0 && index < slots.length) slots[index] = bucket;
  }
  return slots;
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export function statsSeries(stats: StatsResponse): StatsSeries {
  const slots = alignBuckets(stats);
  const column = (read: (bucket: StatsBucket) => number | undefined): Column =>
    slots.map((bucket) => (bucket ? (read(bucket) ?? null) : null));
  const count = (read: (bucket: StatsBucket) => number): number[] =>
    slots.map((bucket) => (bucket ? read(bucket) : 0));
  return {
    x: slots.map((_, index) => (stats.from + index * stats.bucketMs) / 1_000),
    requests: count((bucket) => bucket.requests),
    errors: count((bucket) => bucket.errors),
    ttftP50: column((bucket) => bucket.ttftP50Ms),
    ttftP95: column((bucket) => bucket.ttftP95Ms),
    latencyP50: column((bucket) => bucket.latencyP50Ms),
    latencyP95: column((bucket) => bucket.latencyP95Ms),
    responseCacheHitRate: column(
      (bucket) =>
        ratio(bucket.responseCacheHits, bucket.responseCacheHits + bucket.responseCacheMisses) ?? undefined,
    ),
    promptCacheHitRate: column(
      (bucket) =>
        ratio(bucket.promptCacheReadTokens, bucket.promptCacheReadTokens + bucket.promptInputTokens) ??
        undefined,
    ),
  };
}

/** Tokens read and written over the window (the totals carry no token counts, the buckets do). */
export function tokenTotals(stats: StatsResponse): { input: number; output: number } {
  let input = 0;
  let output = 0;
  for (const bucket of stats.buckets) {
    input += bucket.inputTokens;
    output += bucket.outputTokens;
  }
  return { input, output };
}

/** The highest measured value of a column, for the chart's text summary; undefined when nothing was measured. */
export function peakOf(values: Column): number | undefined {
  let peak: number | undefined;
  for (const value of values) if (value !== null && (peak === undefined || value > peak)) peak = value;
  return peak;
}
