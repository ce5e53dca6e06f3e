import { describe, expect, it } from 'vitest';
import { MAX_BODY_DEPTH, tooDeepAt } from '../../electron/core/server/jsonDepthGuard.ts';

/** `depth` levels of alternating objects and arrays, parsed from text as a request body would be. */
function nested(depth: number): unknown {
  let text = '1';
  for (let level = 0; level < depth; level++) text = level % 2 === 0 ? `[${text}]` : `{"k":${text}}`;
  return JSON.parse(text);
}

describe('tooDeepAt', () => {
  it('takes a body nested exactly to the limit and refuses one level more, saying where', () => {
    expect(tooDeepAt(nested(5), 5)).toBeUndefined();
    // The body, messages, a message, its content, a block and its input: six levels.
    expect(tooDeepAt({ messages: [{ content: [{ input: {} }] }] }, 6)).toBeUndefined();
    expect(tooDeepAt({ messages: [{ content: [{ input: { a: {} } }] }] }, 6)).toBe(
      'messages.0.content.0.input.a',
    );
    expect(tooDeepAt([[[]]], 2)).toBe('0.0');
  });

  it('counts only objects and arrays, so long strings and flat lists pass', () => {
    expect(
      tooDeepAt({ text: '['.repeat(10_000), list: Array.from({ length: 10_000 }, (_, i) => i) }, 2),
    ).toBe(undefined);
    expect(tooDeepAt('plain', 1)).toBeUndefined();
    expect(tooDeepAt(undefined, 1)).toBeUndefined();
  });

  it('walks a million levels without recursion and cuts the reported path short', () => {
    const where = tooDeepAt(nested(1_000_000), MAX_BODY_DEPTH);
    expect(where).toMatch(/^k\.0\.k\.0\.k\.0\.k\.0\.k\.0\.k\.0…$/);
  });
});
