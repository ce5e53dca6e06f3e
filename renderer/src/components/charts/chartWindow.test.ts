import { describe, expect, it } from 'vitest';
import type { StatsResponse } from '../../../../shared/adminApi.ts';
import { statsBucket as bucket } from '../../testing/fixtures.ts';
import { chartedStats, ZOOM_SPAN_MS } from './chartWindow.ts';
import { statsSeries } from './statsSeries.ts';

const TO = Date.UTC(2026, 10, 28, 9, 30, 17);

function quarter(): StatsResponse {
  return {
    window: '15m',
    bucketMs: 1_000,
    from: TO - 900_000,
    to: TO,
    buckets: [bucket(TO - 600_000, { requests: 2 }), bucket(TO - 30_000, { requests: 1 })],
    minuteBuckets: [
      bucket(Math.floor((TO - 600_000) / 60_000) * 60_000, { requests: 2 }),
      bucket(Math.floor((TO - 30_000) / 60_000) * 60_000, { requests: 1 }),
    ],
    totals: { requestsPerMinute: 1, errorRate: 0, activeStreams: 0, caches: {} },
  };
}

describe('the buckets an overview chart plots', () => {
  it('charts 15 minutes by the minute: 16 slots, the first and last partial, holding every request', () => {
    const charted = chartedStats(quarter(), false);
    expect(charted.bucketMs).toBe(60_000);
    const series = statsSeries(charted);
    expect(series.x.length).toBe(16);
    expect(series.requests.reduce((sum, value) => sum + value, 0)).toBe(3);
    expect(series.x.at(-1)! * 1_000).toBeLessThan(TO);
  });

  it('zoomed, charts the last two minutes second by second', () => {
    const charted = chartedStats(quarter(), true);
    expect(charted.bucketMs).toBe(1_000);
    const series = statsSeries(charted);
    expect(series.x.length).toBe(ZOOM_SPAN_MS / 1_000);
    expect(series.requests.reduce((sum, value) => sum + value, 0)).toBe(1);
  });

  it('keeps the seconds when the proxy sent no minutes, and leaves the 24 hours alone', () => {
    const old = quarter();
    delete old.minuteBuckets;
    expect(chartedStats(old, false)).toBe(old);
    const day = { ...quarter(), window: '24h' as const };
    expect(chartedStats(day, true)).toBe(day);
  });
});
