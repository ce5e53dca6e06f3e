import { describe, expect, it } from 'vitest';
import { countAnthropicInputParts } from '../../electron/core/translate/countTokens.ts';
import {
  imageTokensForBase64,
  imageTokensForSize,
  MAX_IMAGE_TOKENS,
} from '../../electron/core/translate/imageTokens.ts';

/** The first bytes of a PNG of this size (signature and IHDR): all a size reader needs. */
function pngHeader(width: number, height: number): string {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 2, 0, 0, 0], 16);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]).toString(
    'base64',
  );
}

describe('image tokens, counted by pixels as Anthropic counts them', () => {
  it('is width × height / 750 for an image needing no downscaling', () => {
    expect(imageTokensForSize(200, 170)).toBe(46);
    expect(imageTokensForSize(1_000, 1_000)).toBe(1_334);
  });

  it('downscales a long edge over 1568 px and caps the cost at about 1 600 tokens', () => {
    expect(imageTokensForSize(4_000, 100)).toBe(Math.ceil((1_568 * 39) / 750));
    for (const [width, height] of [
      [1_920, 1_080],
      [8_000, 8_000],
    ] as const) {
      const tokens = imageTokensForSize(width, height);
      expect(tokens).toBeGreaterThan(MAX_IMAGE_TOKENS - 10);
      expect(tokens).toBeLessThanOrEqual(MAX_IMAGE_TOKENS);
    }
  });

  it('reads the size from the image bytes, whatever their base64 length', () => {
    expect(imageTokensForBase64(pngHeader(200, 170))).toBe(46);
    expect(imageTokensForBase64(`data:image/png;base64,${pngHeader(300, 300)}`)).toBe(120);
    expect(imageTokensForBase64('bm90IGFuIGltYWdl')).toBe(MAX_IMAGE_TOKENS);
  });

  it('keeps images apart from the text estimate of a request', () => {
    const parts = countAnthropicInputParts({
      model: 'claude-sonnet-4-5',
      max_tokens: 10,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is in it?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pngHeader(750, 100) } },
          ],
        },
      ],
    });
    expect(parts.images).toBe(100);
    expect(parts.text).toBeGreaterThan(0);
    expect(parts.text).toBeLessThan(20);
  });
});
