import { describe, expect, it } from 'vitest';
import {
  createThinkingTagSplitter,
  type ThinkingSplit,
} from '../../electron/core/translate/thinkingTagSplitter.ts';

function split(chunks: string[]): { thinking: string; text: string; order: string } {
  const splitter = createThinkingTagSplitter();
  const splits = [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.flush()];
  return summarise(splits);
}

function summarise(splits: ThinkingSplit[]) {
  const pick = (kind: ThinkingSplit['kind']) =>
    splits
      .filter((s) => s.kind === kind)
      .map((s) => s.text)
      .join('');
  // The kinds in order of appearance, collapsed: thinking must never follow text.
  const order = splits.map((s) => s.kind).filter((kind, i, all) => kind !== all[i - 1]);
  return { thinking: pick('thinking'), text: pick('text'), order: order.join(',') };
}

const REFERENCE =
  '\n<thinking>\nCompare "</thinking>" with `</thinking>`; also </thinking> mid-line.\n</thinking>\n\nThe answer is 42.';
const EXPECTED = {
  thinking: '\nCompare "</thinking>" with `</thinking>`; also </thinking> mid-line.\n',
  text: 'The answer is 42.',
  order: 'thinking,text',
};

describe('thinking tag splitter: chunk boundaries', () => {
  it('splits the reference answer', () => {
    expect(split([REFERENCE])).toEqual(EXPECTED);
  });

  it('gives the same result for a split at every character offset', () => {
    for (let at = 0; at <= REFERENCE.length; at++) {
      expect(split([REFERENCE.slice(0, at), REFERENCE.slice(at)]), `split at ${at}`).toEqual(EXPECTED);
    }
  });

  it('gives the same result for every pair of split points', () => {
    for (let a = 1; a < REFERENCE.length; a++) {
      for (let b = a + 1; b < REFERENCE.length; b++) {
        const chunks = [REFERENCE.slice(0, a), REFERENCE.slice(a, b), REFERENCE.slice(b)];
        expect(split(chunks), `split at ${a},${b}`).toEqual(EXPECTED);
      }
    }
  });

  it('gives the same result one character at a time', () => {
    expect(split([...REFERENCE])).toEqual(EXPECTED);
  });
});

describe('thinking tag splitter: holds back only a possible tag', () => {
  it('emits plain text chunks immediately', () => {
    const splitter = createThinkingTagSplitter();
    expect(splitter.push('Hello')).toEqual([{ kind: 'text', text: 'Hello' }]);
    expect(splitter.push(' <thinking> is just text here')).toEqual([
      { kind: 'text', text: ' <thinking> is just text here' },
    ]);
  });

  it('emits thinking immediately and holds only a partial end tag', () => {
    const splitter = createThinkingTagSplitter();
    expect(splitter.push('<thinking>step one')).toEqual([{ kind: 'thinking', text: 'step one' }]);
    expect(splitter.push(', two <')).toEqual([{ kind: 'thinking', text: ', two ' }]);
    expect(splitter.push('b> done</thin')).toEqual([{ kind: 'thinking', text: '<b> done' }]);
    expect(splitter.push('king>')).toEqual([]);
    expect(splitter.push('\n')).toEqual([]);
    expect(splitter.push('\nAnswer')).toEqual([{ kind: 'text', text: 'Answer' }]);
    expect(splitter.push(' more')).toEqual([{ kind: 'text', text: ' more' }]);
  });

  it('releases a held tag as thinking as soon as it cannot be a real end tag', () => {
    const splitter = createThinkingTagSplitter();
    splitter.push('<thinking>a');
    expect(splitter.push('</thinking>')).toEqual([]);
    expect(splitter.push('\nb')).toEqual([{ kind: 'thinking', text: '</thinking>\nb' }]);
  });

  it('does not hold back a tag that follows a quote or backtick', () => {
    const splitter = createThinkingTagSplitter();
    splitter.push('<thinking>');
    expect(splitter.push('write "</thinking')).toEqual([{ kind: 'thinking', text: 'write "</thinking' }]);
    expect(splitter.push('`</')).toEqual([{ kind: 'thinking', text: '`</' }]);
  });

  it('checks the quote before a tag that starts a new chunk', () => {
    expect(split(['<thinking>say "', '</thinking>\n\nstill thinking'])).toEqual({
      thinking: 'say "</thinking>\n\nstill thinking',
      text: '',
      order: 'thinking',
    });
  });

  it('holds leading whitespace and a partial open tag until it is decided', () => {
    const splitter = createThinkingTagSplitter();
    expect(splitter.push('\n ')).toEqual([]);
    expect(splitter.push('<think')).toEqual([]);
    expect(splitter.push('ing>x')).toEqual([{ kind: 'thinking', text: 'x' }]);
  });
});

describe('thinking tag splitter: end tags', () => {
  it('ignores end tags not followed by a blank line', () => {
    expect(split(['<thinking>a</thinking>b</thinking>\n\nc'])).toEqual({
      thinking: 'a</thinking>b',
      text: 'c',
      order: 'thinking,text',
    });
  });

  it('strips exactly the blank line after the end tag', () => {
    expect(split(['<thinking>a</thinking>\n\n\nc'])).toEqual({
      thinking: 'a',
      text: '\nc',
      order: 'thinking,text',
    });
  });

  it('closes at the end of the stream', () => {
    expect(split(['<thinking>a</thinking>'])).toEqual({ thinking: 'a', text: '', order: 'thinking' });
    expect(split(['<thinking>a</thinking>\n'])).toEqual({ thinking: 'a', text: '', order: 'thinking' });
  });

  it('treats an answer whose thinking never closes as all thinking', () => {
    expect(split(['<thinking>a', ' b</thin'])).toEqual({
      thinking: 'a b</thin',
      text: '',
      order: 'thinking',
    });
  });

  it('recognises thinking only at the start of the answer', () => {
    const answer = 'Sure. <thinking>x</thinking>\n\ny';
    expect(split([answer])).toEqual({ text: answer, thinking: '', order: 'text' });
  });

  it('keeps an answer that only looked like an opening tag as text', () => {
    expect(split(['<think', 'er>'])).toEqual({ text: '<thinker>', thinking: '', order: 'text' });
    expect(split(['  <thinki'])).toEqual({ text: '  <thinki', thinking: '', order: 'text' });
  });

  it('does not reopen thinking after a flush', () => {
    const splitter = createThinkingTagSplitter();
    expect(splitter.push('<thinking>a')).toEqual([{ kind: 'thinking', text: 'a' }]);
    expect(splitter.flush()).toEqual([]);
    expect(splitter.push('<thinking>b')).toEqual([{ kind: 'text', text: '<thinking>b' }]);
  });
});
