import { describe, expect, it } from 'vitest';
import type uPlot from 'uplot';
import { timeLabels } from './uplotOptions.ts';

const AT_SECONDS = Date.UTC(2026, 10, 28, 14, 5, 9) / 1_000;
const look = (language: string, bucketMs: number) => ({
  height: 100,
  formatValue: String,
  language,
  bucketMs,
});
const label = (language: string, bucketMs: number) =>
  timeLabels(look(language, bucketMs))(undefined as unknown as uPlot, [AT_SECONDS])[0]!;

describe('the time axis of the charts', () => {
  it('labels times in Chinese on a 24-hour clock, in English with AM/PM', () => {
    expect(label('zh', 60_000)).toMatch(/^\d{2}:05$/);
    expect(label('en', 60_000)).toMatch(/^\d{2}:05\s?(AM|PM)$/);
  });

  it('shows seconds only when the buckets are seconds', () => {
    expect(label('zh', 1_000)).toMatch(/^\d{2}:05:09$/);
    expect(label('en', 1_000)).toMatch(/^\d{2}:05:09\s?(AM|PM)$/);
  });
});
