/** The daemon protocol's pure parts: transcripts ↔ turns, input lines, line splitting, output lines, backoff. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseDaemonLine } from '../../electron/daemon/daemonRequest.ts';
import { toJsonLine } from '../../electron/daemon/jsonLineWriter.ts';
import { readLines } from '../../electron/daemon/lineReader.ts';
import { transcriptOf, transcriptTurns } from '../../electron/daemon/transcriptTurns.ts';
import { restartDelayMs } from '../../electron/daemonClient/restartBackoff.ts';

describe('transcriptTurns', () => {
  it('splits a User/Assistant transcript into turns and drops the empty answer cue', () => {
    expect(transcriptTurns('User: Hello\n\nAssistant: ')).toEqual({
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(
      transcriptTurns('System: Be brief.\n\nHuman: Hi\nthere\n\nAI: Hello.\n\nHuman: Again\n\nAssistant:'),
    ).toEqual({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Hi\nthere' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Again' },
      ],
    });
  });

  it('takes text without speaker labels, or before the first one, as the user’s', () => {
    expect(transcriptTurns('  just a question  ')).toEqual({
      messages: [{ role: 'user', content: 'just a question' }],
    });
    expect(transcriptTurns('Context first.\nUser: then this')).toEqual({
      messages: [
        { role: 'user', content: 'Context first.' },
        { role: 'user', content: 'then this' },
      ],
    });
    // A label only counts at the start of a line.
    expect(transcriptTurns('User: what does "Assistant: " mean?').messages).toHaveLength(1);
  });

  it('keeps a non-empty last Assistant turn (a prefill), and round-trips through transcriptOf', () => {
    const turns = transcriptTurns('User: Count\n\nAssistant: 1, 2,');
    expect(turns.messages.at(-1)).toEqual({ role: 'assistant', content: '1, 2,' });
    const cued = { system: 'S', messages: [{ role: 'user' as const, content: 'Q' }] };
    expect(transcriptOf(cued)).toBe('System: S\n\nUser: Q\n\nAssistant: ');
    expect(transcriptTurns(transcriptOf(cued))).toEqual(cued);
  });
});

describe('parseDaemonLine', () => {
  it('reads prompts, messages, pings and the optional fields', () => {
    expect(parseDaemonLine('{"prompt": "User: Hi\\n\\nAssistant: ", "stream": true, "id": 3}', 1)).toEqual({
      kind: 'prompt',
      id: 3,
      stream: true,
      prompt: { messages: [{ role: 'user', content: 'Hi' }] },
    });
    expect(parseDaemonLine('{"ping": true, "id": "p"}', 1)).toEqual({ kind: 'ping', id: 'p' });
    const messages = [{ role: 'user', content: [{ type: 'text', text: 'x' }] }];
    expect(
      parseDaemonLine(
        JSON.stringify({ messages, system: [{ type: 'text', text: 's' }], model: 'm', max_tokens: 9 }),
        1,
      ),
    ).toEqual({
      kind: 'prompt',
      id: undefined,
      stream: false,
      prompt: { messages, system: [{ type: 'text', text: 's' }], model: 'm', maxTokens: 9 },
    });
    // A field's system and a transcript's System: turn are both kept; unknown fields are ignored.
    expect(
      parseDaemonLine('{"prompt": "System: B\\nUser: q", "system": "A", "temperature": 1}', 1),
    ).toMatchObject({
      prompt: { system: 'A\n\nB' },
    });
  });

  it('refuses what cannot be meant, naming the field and what to send', () => {
    const problem = (line: string): [unknown, string] => {
      const input = parseDaemonLine(line, 7);
      return [input.id, input.kind === 'invalid' ? input.message : `accepted as ${input.kind}`];
    };
    expect(problem('{"id": {"a": 1}, "prompt": "x"}')).toEqual([
      undefined,
      'line 7: "id" must be a string or a number, got an object',
    ]);
    expect(problem('{"id": 1}')[1]).toMatch(
      /^line 7: a request needs "prompt" \(a string\) or "messages"; e\.g\. \{/,
    );
    expect(problem('{"id": 1, "prompt": "x", "messages": []}')).toEqual([
      1,
      'line 7: give "prompt" (a transcript) or "messages" (Anthropic-shaped turns), not both',
    ]);
    expect(problem('{"messages": {}}')[1]).toMatch(/"messages" must be a non-empty array .*, got an object/);
    expect(problem('{"prompt": "Assistant: only me"}')[1]).toMatch(/"prompt" has no user text to answer/);
    expect(problem('{"prompt": "x", "max_tokens": 0}')[1]).toMatch(
      /"max_tokens" must be a whole number above 0, got number 0/,
    );
    expect(problem('{"prompt": "x", "model": ""}')[1]).toMatch(/"model" must be a model id/);
    expect(problem('{"ping": "yes"}')[1]).toMatch(/"ping" must be true, got "yes"/);
    expect(
      problem(`{"prompt": ${JSON.stringify('x'.repeat(500))}, "stream": "${'y'.repeat(50)}"}`)[1],
    ).toMatch(/got a long string$/);
  });
});

describe('readLines', () => {
  const text = '{"a":"café 漢字 🎉"}\r\n\n{"b":2}\nlast';

  it('gives the same lines however the bytes are split, multi-byte characters included', async () => {
    const bytes = Buffer.from(text);
    const expected = [
      { text: '{"a":"café 漢字 🎉"}', number: 1, tooLong: false },
      { text: '', number: 2, tooLong: false },
      { text: '{"b":2}', number: 3, tooLong: false },
      { text: 'last', number: 4, tooLong: false },
    ];
    for (let cut = 0; cut <= bytes.length; cut++) {
      const chunks = Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]);
      const lines = [];
      for await (const line of readLines(chunks, 1_000)) lines.push(line);
      expect(lines, `split at ${cut}`).toEqual(expected);
    }
  });

  it('reports a line over the limit as too long, without keeping it, and goes on', async () => {
    const lines = [];
    for await (const line of readLines(Readable.from(['x'.repeat(30), 'y'.repeat(30), '\nok\n']), 50))
      lines.push(line);
    expect(lines).toEqual([
      { text: '', number: 1, tooLong: true },
      { text: 'ok', number: 2, tooLong: false },
    ]);
  });
});

describe('output lines and restart backoff', () => {
  it('escapes the line separators some line readers split on', () => {
    const line = toJsonLine({ content: 'a\u2028b\u2029c\nd' });
    expect(line).toBe('{"content":"a\\u2028b\\u2029c\\nd"}');
    expect(JSON.parse(line)).toEqual({ content: 'a\u2028b\u2029c\nd' });
  });

  it('doubles the delay from the first restart up to the cap', () => {
    const backoff = { initialMs: 500, maxMs: 4_000 };
    expect([1, 2, 3, 4, 5, 50].map((attempt) => restartDelayMs(attempt, backoff))).toEqual([
      500, 1_000, 2_000, 4_000, 4_000, 4_000,
    ]);
  });
});
