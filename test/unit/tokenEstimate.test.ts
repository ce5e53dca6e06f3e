import { describe, expect, it } from 'vitest';
import { estimateJsonTokens, estimateTokens } from '../../electron/core/translate/tokenEstimate.ts';

describe('estimateTokens', () => {
  it('is zero only for empty text', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('a')).toBe(1);
  });

  it('counts English prose and code at about 3.6 characters per token', () => {
    const prose = 'The quick brown fox jumps over the lazy dog. '.repeat(100); // 4 500 characters
    expect(estimateTokens(prose)).toBe(Math.ceil(prose.length / 3.6));
  });

  it('counts CJK at one token per character, an emoji at one to two', () => {
    expect(estimateTokens('漢字漢字漢字漢字漢字')).toBe(10);
    const emoji = estimateTokens('🎉🎉🎉🎉');
    expect(emoji).toBeGreaterThanOrEqual(4);
    expect(emoji).toBeLessThanOrEqual(8);
  });

  it('weighs two-byte scripts between ASCII and CJK', () => {
    const cyrillic = 'привет мир '.repeat(50);
    const tokens = estimateTokens(cyrillic);
    expect(tokens).toBeGreaterThan(cyrillic.length / 3.6);
    expect(tokens).toBeLessThan(cyrillic.length);
  });

  it('estimates JSON values by their compact text', () => {
    expect(estimateJsonTokens(undefined)).toBe(0);
    expect(estimateJsonTokens({ city: 'Paris' })).toBe(estimateTokens('{"city":"Paris"}'));
  });
});
