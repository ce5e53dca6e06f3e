/**
 * Splits injected-thinking answers (`<thinking>…</thinking>\n\n<answer>`, docs/upstream/request-rules.md §3) into thinking
 * and text as the chunks arrive. Streaming comes first: everything is emitted at once except the shortest
 * suffix that could still turn out to be a tag, so a client sees each token as soon as Kiro sends it.
 *
 * Only a real end tag closes the thinking: one not preceded by a quote or backtick (the model quoting the tag)
 * and followed by "\n\n" or the end of the stream. Tags are recognised only at the start of the answer.
 */

export interface ThinkingSplit {
  kind: 'thinking' | 'text';
  text: string;
}

export interface ThinkingTagSplitter {
  push(chunk: string): ThinkingSplit[];
  /** The text part is over (stream end, or a tool call follows): resolve whatever is held back. */
  flush(): ThinkingSplit[];
}

const OPEN_TAG = '<thinking>';
const CLOSE_TAG = '</thinking>';
const AFTER_CLOSE = '\n\n';
const CLOSE_SEQUENCE = CLOSE_TAG + AFTER_CLOSE;
const QUOTES = new Set(['"', "'", '`']);

type Phase = 'start' | 'thinking' | 'text';

export function createThinkingTagSplitter(): ThinkingTagSplitter {
  return new StreamingThinkingSplitter();
}

class StreamingThinkingSplitter implements ThinkingTagSplitter {
  #phase: Phase = 'start';
  #held = '';
  /** Last thinking character emitted: decides whether a tag at the head of the held text is quoted. */
  #lastEmitted = '';

  push(chunk: string): ThinkingSplit[] {
    const splits: ThinkingSplit[] = [];
    const buffer = this.#held + chunk;
    this.#held = '';
    if (this.#phase === 'start') this.#pushStart(splits, buffer);
    else if (this.#phase === 'thinking') this.#pushThinking(splits, buffer);
    else this.#emit(splits, 'text', buffer);
    return splits;
  }

  flush(): ThinkingSplit[] {
    const splits: ThinkingSplit[] = [];
    // Held back while thinking is a candidate end tag: it closes if nothing but its newlines followed.
    if (this.#phase === 'thinking' && !isCloseAtEnd(this.#held)) this.#emit(splits, 'thinking', this.#held);
    if (this.#phase === 'start') this.#emit(splits, 'text', this.#held);
    this.#held = '';
    this.#phase = 'text';
    return splits;
  }

  #pushStart(splits: ThinkingSplit[], buffer: string): void {
    const trimmed = buffer.trimStart();
    if (trimmed.startsWith(OPEN_TAG)) {
      this.#phase = 'thinking';
      this.#pushThinking(splits, trimmed.slice(OPEN_TAG.length));
    } else if (OPEN_TAG.startsWith(trimmed)) {
      this.#held = buffer;
    } else {
      this.#phase = 'text';
      this.#emit(splits, 'text', buffer);
    }
  }

  #pushThinking(splits: ThinkingSplit[], buffer: string): void {
    const close = findClose(buffer, this.#lastEmitted);
    this.#emit(splits, 'thinking', buffer.slice(0, close.at));
    if (close.kind === 'open') {
      this.#held = buffer.slice(close.at);
      return;
    }
    this.#phase = 'text';
    this.#emit(splits, 'text', buffer.slice(close.at + CLOSE_SEQUENCE.length));
  }

  #emit(splits: ThinkingSplit[], kind: ThinkingSplit['kind'], text: string): void {
    if (text.length === 0) return;
    splits.push({ kind, text });
    if (kind === 'thinking') this.#lastEmitted = text.charAt(text.length - 1);
  }
}

type CloseSearch =
  /** A real end tag starts at `at`. */
  | { kind: 'closed'; at: number }
  /** No end tag yet; from `at` on the text might still become one and must be held back. */
  | { kind: 'open'; at: number };

function findClose(buffer: string, charBefore: string): CloseSearch {
  for (let at = buffer.indexOf('<'); at !== -1; at = buffer.indexOf('<', at + 1)) {
    const before = at === 0 ? charBefore : buffer.charAt(at - 1);
    if (QUOTES.has(before)) continue;
    if (buffer.startsWith(CLOSE_SEQUENCE, at)) return { kind: 'closed', at };
    const isTail = buffer.length - at < CLOSE_SEQUENCE.length;
    if (isTail && CLOSE_SEQUENCE.startsWith(buffer.slice(at))) return { kind: 'open', at };
  }
  return { kind: 'open', at: buffer.length };
}

function isCloseAtEnd(held: string): boolean {
  return held.startsWith(CLOSE_TAG) && AFTER_CLOSE.startsWith(held.slice(CLOSE_TAG.length));
}
