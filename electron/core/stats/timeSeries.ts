/**
 * A fixed-size ring of time buckets (e.g. 900 × 1 s, 1440 × 1 min). A slot belongs to the bucket number it was
 * last written for; a slot whose number is older than the window is stale and read as empty, so memory never
 * grows and nothing has to run on a timer to roll buckets over: the injected clock says which bucket is now.
 */
import type { StatsBucket } from '../../../shared/adminApi.ts';
import type { Clock } from '../ports.ts';
import { createLatencyHistogram, type LatencyHistogram } from './latencyHistogram.ts';

/** One answered API request, as the time series counts it. */
export interface RequestSample {
  error: boolean;
  ttftMs?: number;
  latencyMs?: number;
  inputTokens: number;
  outputTokens: number;
  responseCache?: 'hit' | 'miss';
  promptCacheReadTokens: number;
  promptInputTokens: number;
}

export interface SeriesTotals {
  requests: number;
  errors: number;
  responseCacheHits: number;
  responseCacheMisses: number;
  promptCacheReadTokens: number;
  promptInputTokens: number;
}

export interface TimeSeries {
  readonly bucketMs: number;
  readonly capacity: number;
  record(sample: RequestSample): void;
  /** Buckets with activity inside the window ending now, oldest first. */
  buckets(): StatsBucket[];
  /** Sums over the buckets that began within the last `spanMs` (the whole window by default). */
  totals(spanMs?: number): SeriesTotals;
}

interface Slot extends SeriesTotals {
  number: number;
  inputTokens: number;
  outputTokens: number;
  ttft?: LatencyHistogram;
  latency?: LatencyHistogram;
}

function emptySlot(number: number): Slot {
  return {
    number,
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    responseCacheHits: 0,
    responseCacheMisses: 0,
    promptCacheReadTokens: 0,
    promptInputTokens: 0,
  };
}

export function createTimeSeries(options: { clock: Clock; bucketMs: number; capacity: number }): TimeSeries {
  const { clock, bucketMs, capacity } = options;
  const slots: Array<Slot | undefined> = new Array<Slot | undefined>(capacity);
  const currentNumber = () => Math.floor(clock.now() / bucketMs);

  function slotFor(number: number): Slot {
    const index = number % capacity;
    const existing = slots[index];
    if (existing && existing.number === number) return existing;
    const fresh = emptySlot(number);
    slots[index] = fresh;
    return fresh;
  }

  /** Live slots whose bucket number is in (now − span, now], oldest first. */
  function liveSlots(spanBuckets: number): Slot[] {
    const now = currentNumber();
    const oldest = now - Math.min(spanBuckets, capacity) + 1;
    return slots
      .filter((slot): slot is Slot => slot !== undefined && slot.number >= oldest && slot.number <= now)
      .sort((a, b) => a.number - b.number);
  }

  return {
    bucketMs,
    capacity,
    record(sample) {
      const slot = slotFor(currentNumber());
      slot.requests += 1;
      if (sample.error) slot.errors += 1;
      slot.inputTokens += sample.inputTokens;
      slot.outputTokens += sample.outputTokens;
      if (sample.responseCache === 'hit') slot.responseCacheHits += 1;
      if (sample.responseCache === 'miss') slot.responseCacheMisses += 1;
      slot.promptCacheReadTokens += sample.promptCacheReadTokens;
      slot.promptInputTokens += sample.promptInputTokens;
      if (sample.ttftMs !== undefined) (slot.ttft ??= createLatencyHistogram()).add(sample.ttftMs);
      if (sample.latencyMs !== undefined) (slot.latency ??= createLatencyHistogram()).add(sample.latencyMs);
    },
    buckets: () => liveSlots(capacity).map((slot) => toBucket(slot, bucketMs)),
    totals(spanMs = capacity * bucketMs) {
      return sumOf(liveSlots(Math.ceil(spanMs / bucketMs)));
    },
  };
}

function toBucket(slot: Slot, bucketMs: number): StatsBucket {
  const bucket: StatsBucket = {
    start: slot.number * bucketMs,
    requests: slot.requests,
    errors: slot.errors,
    inputTokens: slot.inputTokens,
    outputTokens: slot.outputTokens,
    responseCacheHits: slot.responseCacheHits,
    responseCacheMisses: slot.responseCacheMisses,
    promptCacheReadTokens: slot.promptCacheReadTokens,
    promptInputTokens: slot.promptInputTokens,
  };
  if (slot.ttft) {
    bucket.ttftP50Ms = roundMs(slot.ttft.percentile(0.5));
    bucket.ttftP95Ms = roundMs(slot.ttft.percentile(0.95));
  }
  if (slot.latency) {
    bucket.latencyP50Ms = roundMs(slot.latency.percentile(0.5));
    bucket.latencyP95Ms = roundMs(slot.latency.percentile(0.95));
  }
  return bucket;
}

function sumOf(slots: Slot[]): SeriesTotals {
  const totals: SeriesTotals = {
    requests: 0,
    errors: 0,
    responseCacheHits: 0,
    responseCacheMisses: 0,
    promptCacheReadTokens: 0,
    promptInputTokens: 0,
  };
  for (const slot of slots) {
    totals.requests += slot.requests;
    totals.errors += slot.errors;
    totals.responseCacheHits += slot.responseCacheHits;
    totals.responseCacheMisses += slot.responseCacheMisses;
    totals.promptCacheReadTokens += slot.promptCacheReadTokens;
    totals.promptInputTokens += slot.promptInputTokens;
  }
  return totals;
}

function roundMs(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 10) / 10;
}
