/**
 * Latencies of one time-series bucket as counts in fixed, logarithmically spaced bins: constant memory however
 * many requests land in the bucket, and percentiles within a bin's width (25 %) of the exact value.
 */

/** Everything at or below this falls in the first bin. */
const FIRST_BIN_UPPER_MS = 5;
const BIN_RATIO = 1.25;
/** 5 ms × 1.25^47 ≈ 180 s: the last bin also holds anything longer. */
const BIN_COUNT = 48;

export interface LatencyHistogram {
  readonly count: number;
  add(ms: number): void;
  /** The q-quantile (0…1) in ms, interpolated inside its bin; undefined when empty. */
  percentile(q: number): number | undefined;
}

function binOf(ms: number): number {
  if (ms <= FIRST_BIN_UPPER_MS) return 0;
  const bin = Math.ceil(Math.log(ms / FIRST_BIN_UPPER_MS) / Math.log(BIN_RATIO));
  return Math.min(BIN_COUNT - 1, bin);
}

function upperBoundOf(bin: number): number {
  return FIRST_BIN_UPPER_MS * BIN_RATIO ** bin;
}

function lowerBoundOf(bin: number): number {
  return bin === 0 ? 0 : upperBoundOf(bin - 1);
}

export function createLatencyHistogram(): LatencyHistogram {
  const bins = new Uint32Array(BIN_COUNT);
  let count = 0;
  return {
    get count() {
      return count;
    },
    add(ms) {
      bins[binOf(Math.max(0, ms))]! += 1;
      count += 1;
    },
    percentile(q) {
      if (count === 0) return undefined;
      const rank = Math.max(1, Math.ceil(q * count));
      let below = 0;
      for (let bin = 0; bin < BIN_COUNT; bin++) {
        const inBin = bins[bin]!;
        if (below + inBin >= rank) {
          const low = lowerBoundOf(bin);
          return low + ((upperBoundOf(bin) - low) * (rank - below)) / inBin;
        }
        below += inBin;
      }
      return upperBoundOf(BIN_COUNT - 1);
    },
  };
}
