/**
 * The daemon's read–answer loop: one request per input line, answered on output lines. Requests that carry an
 * `id` run side by side (their lines carry the id, so callers can tell answers apart); requests without one are
 * answered one after another, in order, since nothing else would tell their lines apart. Pings are answered at
 * once, whatever is in flight. At the end of input, what is in flight finishes before the loop returns.
 */
import type { DaemonId, DaemonInput, DaemonPrompt } from './daemonRequest.ts';
import { parseDaemonLine } from './daemonRequest.ts';
import type { JsonLineWriter } from './jsonLineWriter.ts';
import { readLines, type InputLine } from './lineReader.ts';

export interface AnswerOptions {
  stream: boolean;
  /** Streamed text as it arrives; resolves once the line was written (backpressure). */
  onText(text: string): Promise<void>;
  signal: AbortSignal;
}

/** Answers one prompt with its whole text; rejects with what went wrong. */
export type Answerer = (prompt: DaemonPrompt, options: AnswerOptions) => Promise<string>;

export interface DaemonLoopOptions {
  input: AsyncIterable<Buffer | string>;
  writer: JsonLineWriter;
  answer: Answerer;
  /** A failure as the error line shows it. */
  describeError(error: unknown): { type: string; message: string };
  /** Stops reading (a signal to stop): what is in flight still finishes. */
  stop: AbortSignal;
  /** Aborts every answer in flight (the drain after a stop ran out of time). */
  cancel: AbortSignal;
  /** Requests in flight before reading pauses (default 64). */
  maxInFlight?: number;
  /** Longest input line (default 50 MB, the HTTP API's body limit). */
  maxLineBytes?: number;
}

const DEFAULT_MAX_IN_FLIGHT = 64;
const DEFAULT_MAX_LINE_BYTES = 50 * 1024 * 1024;

export async function runDaemonLoop(options: DaemonLoopOptions): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  let inOrder: Promise<void> = Promise.resolve();
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const lines = readLines(
    untilAborted(options.input, options.stop),
    options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
  );
  for await (const line of lines) {
    if (line.text.trim() === '' && !line.tooLong) continue;
    const input = inputOf(line, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    if (input.kind !== 'prompt') {
      track(options.writer.write(replyTo(input)));
    } else if (input.id !== undefined) {
      track(answerOne(options, input));
    } else {
      inOrder = inOrder.then(() => answerOne(options, input));
      track(inOrder);
    }
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

function inputOf(line: InputLine, maxLineBytes: number): DaemonInput {
  if (!line.tooLong) return parseDaemonLine(line.text, line.number);
  const limit = `${Math.round(maxLineBytes / 1024 / 1024)} MB`;
  return {
    kind: 'invalid',
    message: `line ${line.number} is longer than ${limit}; send a shorter prompt (one JSON object per line)`,
  };
}

/** The line answering a ping or a refused request. */
function replyTo(input: Exclude<DaemonInput, { kind: 'prompt' }>): object {
  if (input.kind === 'ping') return { ...idOf(input.id), pong: true };
  return { ...idOf(input.id), error: { type: 'invalid_request_error', message: input.message }, done: true };
}

/** Never rejects: every failure becomes the request's error line. */
async function answerOne(
  options: DaemonLoopOptions,
  input: Extract<DaemonInput, { kind: 'prompt' }>,
): Promise<void> {
  const id = idOf(input.id);
  const { writer } = options;
  try {
    const text = await options.answer(input.prompt, {
      stream: input.stream,
      // A signal of its own, following the shared one: requests waiting for an account each listen to their
      // signal, and a dozen listeners on one shared signal would print Node's MaxListenersExceededWarning.
      signal: AbortSignal.any([options.cancel]),
      onText: (chunk) => writer.write({ ...id, content: chunk, done: false }),
    });
    await writer.write(input.stream ? { ...id, content: '', done: true } : { ...id, content: text });
  } catch (error) {
    await writer.write({ ...id, error: options.describeError(error), done: true });
  }
}

/** The source's items until it ends or `signal` aborts, whichever comes first. */
async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const stopped = new Promise<IteratorResult<T>>((resolve) => {
    const end = () => resolve({ done: true, value: undefined });
    if (signal.aborted) end();
    else signal.addEventListener('abort', end, { once: true });
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), stopped]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Ends the source's own reading (a stdin iterator destroys the stream), without waiting for it.
    void iterator.return?.();
  }
}

function idOf(id: DaemonId | undefined): { id?: DaemonId } {
  return id === undefined ? {} : { id };
}
