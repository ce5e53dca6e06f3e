import { describe, expect, it } from 'vitest';
import { createLatencyHistogram } from '../../electron/core/stats/latencyHistogram.ts';
import { createTimeSeries, type RequestSample } from '../../electron/core/stats/timeSeries.ts';
import { createFakeClock } from '../support/fakeClock.ts';

function sample(overrides: Partial<RequestSample> = {}): RequestSample {
  return {
    error: false,
    inputTokens: 0,
    outputTokens: 0,
    promptCacheReadTokens: 0,
    promptInputTokens: 0,
    ...overrides,
  };
}

function secondsSeries() {
  const clock = createFakeClock();
  return { clock, series: createTimeSeries({ clock, bucketMs: 1_000, capacity: 900 }) };
}

describe('createTimeSeries', () => {
  it('starts a new bucket when the clock moves into the next second', () => {
    const { clock, series } = secondsSeries();
    series.record(sample({ inputTokens: 10 }));
    clock.advance(999);
    series.record(sample({ error: true, outputTokens: 5 }));
    clock.advance(1);
    series.record(sample({ responseCache: 'hit' }));
    series.record(sample({ responseCache: 'miss' }));
    const buckets = series.buckets();
    expect(buckets.map((bucket) => bucket.requests)).toEqual([2, 2]);
    expect(buckets[1]!.start - buckets[0]!.start).toBe(1_000);
    expect(buckets[0]).toMatchObject({ errors: 1, inputTokens: 10, outputTokens: 5 });
    expect(buckets[1]).toMatchObject({ errors: 0, responseCacheHits: 1, responseCacheMisses: 1 });
  });

  it('lists only buckets with activity, and forgets those older than the window', () => {
    const { clock, series } = secondsSeries();
    series.record(sample());
    clock.advance(10_000);
    series.record(sample());
    expect(series.buckets()).toHaveLength(2);
    clock.advance(900_000 - 5_000);
    expect(series.buckets()).toHaveLength(1);
    clock.advance(5_000);
    expect(series.buckets()).toEqual([]);
  });

  it('keeps at most one bucket per slot however long it runs', () => {
    const { clock, series } = secondsSeries();
    for (let second = 0; second < 2_000; second++) {
      series.record(sample());
      clock.advance(1_000);
    }
    const buckets = series.buckets();
    expect(buckets).toHaveLength(899);
    expect(buckets[0]!.start).toBeGreaterThan(clock.now() - 900_000);
    expect(series.totals().requests).toBe(899);
  });

  it('reports p50 and p95 of time to first token and latency per bucket', () => {
    const { series } = secondsSeries();
    for (let ms = 1; ms <= 100; ms++) series.record(sample({ ttftMs: ms * 10, latencyMs: ms * 100 }));
    const [bucket] = series.buckets();
    expect(bucket!.ttftP50Ms).toBeGreaterThan(500 * 0.8);
    expect(bucket!.ttftP50Ms).toBeLessThan(500 * 1.25);
    expect(bucket!.ttftP95Ms).toBeGreaterThan(950 * 0.8);
    expect(bucket!.ttftP95Ms).toBeLessThan(950 * 1.25);
    expect(bucket!.latencyP95Ms).toBeGreaterThan(9_500 * 0.8);
    expect(bucket!.latencyP95Ms).toBeLessThan(9_500 * 1.25);
  });

  it('leaves latencies out of a bucket without samples', () => {
    const { series } = secondsSeries();
    series.record(sample());
    expect(series.buckets()[0]).not.toHaveProperty('ttftP50Ms');
  });

  it('aggregates a day in minute buckets', () => {
    const clock = createFakeClock();
    const series = createTimeSeries({ clock, bucketMs: 60_000, capacity: 1_440 });
    for (let i = 0; i < 3; i++) {
      series.record(sample({ promptCacheReadTokens: 100, promptInputTokens: 20 }));
      clock.advance(15_000);
    }
    clock.advance(60_000 - 45_000);
    series.record(sample({ error: true }));
    series.record(sample());
    expect(series.buckets().map((bucket) => [bucket.requests, bucket.errors])).toEqual([
      [3, 0],
      [2, 1],
    ]);
    expect(series.totals()).toMatchObject({ requests: 5, promptCacheReadTokens: 300, promptInputTokens: 60 });
    expect(series.totals(60_000).requests).toBe(2);
    clock.advance(24 * 60 * 60_000 - 60_000);
    expect(series.buckets().map((bucket) => bucket.requests)).toEqual([2]);
  });
});

describe('createLatencyHistogram', () => {
  it('has no percentile when empty', () => {
    expect(createLatencyHistogram().percentile(0.5)).toBeUndefined();
  });

  it('stays within a bin of a single value, from milliseconds to minutes', () => {
    for (const ms of [3, 42, 1_234, 95_000]) {
      const histogram = createLatencyHistogram();
      histogram.add(ms);
      const p50 = histogram.percentile(0.5)!;
      expect(p50).toBeLessThanOrEqual(Math.max(5, ms * 1.25));
      expect(p50).toBeGreaterThanOrEqual(ms / 1.25 - 5);
    }
  });

  it('orders percentiles', () => {
    const histogram = createLatencyHistogram();
    for (const ms of [10, 20, 30, 40, 5_000]) histogram.add(ms);
    expect(histogram.count).toBe(5);
    expect(histogram.percentile(0.5)!).toBeLessThan(histogram.percentile(0.95)!);
    expect(histogram.percentile(0.95)!).toBeGreaterThan(4_000);
  });
});
