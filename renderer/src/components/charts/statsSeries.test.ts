import { describe, expect, it } from 'vitest';
import type { StatsBucket, StatsResponse } from '../../../../shared/adminApi.ts';
import { statsBucket as bucket } from '../../testing/fixtures.ts';
import { alignBuckets, peakOf, statsSeries, tokenTotals } from './statsSeries.ts';

function window(buckets: StatsBucket[]): StatsResponse {
  return {
    window: '15m',
    bucketMs: 1_000,
    from: 100_000,
    to: 105_000,
    buckets,
    totals: { requestsPerMinute: 0, errorRate: 0, activeStreams: 0, caches: {} },
  };
}

describe('statsSeries', () => {
  it('has one slot per bucket of the window, with counts 0 and measurements missing where nothing happened', () => {
    const series = statsSeries(
      window([
        bucket(101_000, { requests: 4, errors: 1, ttftP50Ms: 300, ttftP95Ms: 900, latencyP95Ms: 2_000 }),
        bucket(104_000, { requests: 2, responseCacheHits: 1, responseCacheMisses: 3 }),
      ]),
    );
    expect(series.x).toEqual([100, 101, 102, 103, 104]);
    expect(series.requests).toEqual([0, 4, 0, 0, 2]);
    expect(series.errors).toEqual([0, 1, 0, 0, 0]);
    expect(series.ttftP50).toEqual([null, 300, null, null, null]);
    expect(series.ttftP95).toEqual([null, 900, null, null, null]);
    // A bucket with requests but no latency sample is a gap too, not a zero.
    expect(series.latencyP50).toEqual([null, null, null, null, null]);
    expect(series.latencyP95).toEqual([null, 2_000, null, null, null]);
    expect(series.responseCacheHitRate).toEqual([null, null, null, null, 0.25]);
  });

  it('computes the prompt-cache rate per bucket from read and uncached input tokens', () => {
    const series = statsSeries(
      window([
        bucket(100_000, { promptCacheReadTokens: 300, promptInputTokens: 100 }),
        bucket(102_000, { promptCacheReadTokens: 0, promptInputTokens: 50 }),
      ]),
    );
    expect(series.promptCacheHitRate).toEqual([0.75, null, 0, null, null]);
  });

  it('leaves out buckets outside the window instead of shifting the others', () => {
    const slots = alignBuckets(
      window([
        bucket(99_000, { requests: 1 }),
        bucket(103_000, { requests: 7 }),
        bucket(105_000, { requests: 1 }),
      ]),
    );
    expect(slots.map((slot) => slot?.requests ?? 0)).toEqual([0, 0, 0, 7, 0]);
  });

  it('sums tokens and finds peaks over measured values only', () => {
    const stats = window([
      bucket(100_000, { inputTokens: 10, outputTokens: 3 }),
      bucket(101_000, { inputTokens: 5, outputTokens: 4 }),
    ]);
    expect(tokenTotals(stats)).toEqual({ input: 15, output: 7 });
    expect(peakOf([null, 3, null, 8, 2])).toBe(8);
    expect(peakOf([null, null])).toBeUndefined();
  });
});
