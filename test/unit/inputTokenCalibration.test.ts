import { describe, expect, it } from 'vitest';
import { createInputTokenCalibration } from '../../electron/core/stats/inputTokenCalibration.ts';

describe('input token calibration', () => {
  it('reports the plain estimate until Kiro reported a figure for the model', () => {
    const calibration = createInputTokenCalibration();
    expect(calibration.estimate('claude-sonnet-4.5', { text: 10_000, images: 46 })).toBe(10_046);
  });

  it("takes the first figure's scale for the text part and leaves image tokens unscaled", () => {
    const calibration = createInputTokenCalibration();
    calibration.learn('claude-sonnet-4.5', { text: 10_000, images: 1_000 }, 13_000);
    expect(calibration.scaleOf('claude-sonnet-4.5')).toBeCloseTo(1.2, 10);
    expect(calibration.estimate('claude-sonnet-4.5', { text: 10_000, images: 1_000 })).toBe(13_000);
    expect(calibration.estimate('claude-sonnet-4.5', { text: 5_000, images: 0 })).toBe(6_000);
    expect(calibration.estimate('claude-opus-4.8', { text: 5_000, images: 0 })).toBe(5_000);
  });

  it('moves a third of the way towards each later figure', () => {
    const calibration = createInputTokenCalibration();
    calibration.learn('m', { text: 1_000, images: 0 }, 1_000);
    calibration.learn('m', { text: 1_000, images: 0 }, 1_300);
    expect(calibration.scaleOf('m')).toBeCloseTo(1.1, 10);
  });

  it('learns nothing from requests too small to measure or figures that cannot be right', () => {
    const calibration = createInputTokenCalibration();
    calibration.learn('m', { text: 100, images: 0 }, 400);
    calibration.learn('m', { text: 10_000, images: 0 }, 100);
    calibration.learn('m', { text: 10_000, images: 0 }, Number.NaN);
    expect(calibration.scaleOf('m')).toBe(1);
  });
});
