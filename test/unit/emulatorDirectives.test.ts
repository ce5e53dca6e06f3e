import { describe, expect, it } from 'vitest';
import { parseDirectives } from '../emulator/directives.ts';
import { splitText } from '../emulator/responseEvents.ts';

describe('parseDirectives', () => {
  it('finds nothing in plain text', () => {
    expect(parseDirectives('just a question [not a directive]')).toEqual({
      tools: [],
      usage: false,
      redactedThinking: false,
      thinksAnyway: false,
    });
  });

  it('reads reply, numbers, usage and fault', () => {
    const content =
      'x [[reply:Hi, ]] there]] [[chunks:7]] [[delay:15]] [[ttfb:250]] [[cache-read:9]] [[fault:cut-in-tool]]';
    expect(parseDirectives(content)).toEqual({
      reply: 'Hi, ',
      tools: [],
      usage: true,
      redactedThinking: false,
      thinksAnyway: false,
      chunkCount: 7,
      interFrameDelayMs: 15,
      timeToFirstByteMs: 250,
      cacheReadTokens: 9,
      fault: 'cut-in-tool',
    });
    expect(parseDirectives('[[usage]]').usage).toBe(true);
    expect(parseDirectives('[[cache-write:3]]')).toMatchObject({ usage: true, cacheWriteTokens: 3 });
  });

  it('ignores unknown faults', () => {
    expect(parseDirectives('[[fault:meteor]]').fault).toBeUndefined();
  });

  it('reads repeated tool directives whose JSON holds brackets, braces and escaped quotes', () => {
    const first = { grid: [[1, 2]], note: 'a } and ]] inside "quotes"' };
    const content = `[[tool:Write:${JSON.stringify(first)}]] then [[tool:mcp__fs__read:{"path":"a b"}]]`;
    expect(parseDirectives(content).tools).toEqual([
      { name: 'Write', input: first },
      { name: 'mcp__fs__read', input: { path: 'a b' } },
    ]);
  });

  it('skips tool directives whose input is not a JSON object', () => {
    const content = '[[tool:a:{"unterminated":]] [[tool:b:{"x":1}] ]] [[tool:c:{"ok":true}]]';
    expect(parseDirectives(content).tools).toEqual([{ name: 'c', input: { ok: true } }]);
  });
});

describe('splitText', () => {
  it('splits into the asked number of pieces that join back to the text', () => {
    const text = 'Hello, naïve café — 漢字 and 🎉🎉 emoji';
    const pieces = splitText(text, 10);
    expect(pieces).toHaveLength(10);
    expect(pieces.join('')).toBe(text);
  });

  it('never splits a surrogate pair and never yields empty pieces', () => {
    const pieces = splitText('🎉🎉🎉', 10);
    expect(pieces).toEqual(['🎉', '🎉', '🎉']);
    expect(splitText('', 5)).toEqual([]);
  });
});
