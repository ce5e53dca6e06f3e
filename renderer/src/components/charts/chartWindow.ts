/**
 * Which buckets a chart of the overview plots. The 15-minute window is charted by the minute (lines; one-second
 * dots over 900 slots read like a barcode); "zoomed" it shows the last ZOOM_SPAN_MS second by second.
 */
import type { StatsResponse } from '../../../../shared/adminApi.ts';

export const ZOOM_SPAN_MS = 2 * 60_000;

export function chartedStats(stats: StatsResponse, zoomed: boolean): StatsResponse {
  if (stats.window !== '15m') return stats;
  if (zoomed) {
    const from = stats.to - ZOOM_SPAN_MS;
    return { ...stats, from, buckets: stats.buckets.filter((bucket) => bucket.start >= from) };
  }
  if (!stats.minuteBuckets) return stats;
  const minute = 60_000;
  // Whole minutes from the one holding `from` to the one holding the last second: 16 slots, the ends partial.
  return {
    ...stats,
    bucketMs: minute,
    from: Math.floor(stats.from / minute) * minute,
    to: Math.ceil(stats.to / minute) * minute,
    buckets: stats.minuteBuckets,
  };
}
