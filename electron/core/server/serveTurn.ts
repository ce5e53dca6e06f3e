/**
 * Serves one translated request as a stream (SSE, written as Kiro's events arrive) or as one JSON answer.
 * Headers are committed only when the first output exists, so every failure before that still gets a proper
 * HTTP status in the client's dialect; a failure after it ends the stream with a well-formed error event.
 * Each way of serving produces the outcome and the answer's last bytes apart, so the outcome is settled first.
 */
import type { Request, Response } from 'express';
import type { CacheRequest, CacheResult, ResponseCache } from '../cache/responseCache.ts';
import type { KiroTranslation } from '../translate/anthropicToKiro.ts';
import type { TurnEvent } from '../translate/turnEvents.ts';
import { toClientError, type ClientError } from './clientErrors.ts';
import { sendDecidedClientError, type ApiDialect } from './apiDialect.ts';
import type { TurnDeps } from './runTurn.ts';
import type { FailedAttempt, TurnSink } from './turn/turnSink.ts';
import { runTurnWithReasoningRetry } from './reasoningRetry.ts';

type OnAttempt = NonNullable<TurnSink['onAttempt']>;

/**
 * Tells clients (and tests) how the response cache took part: hit, miss, coalesced, or bypass (the cache is on
 * but left this request to Kiro). Absent while the cache is off.
 */
export const CACHE_HEADER = 'x-kiro-dock-cache';

/** How one dialect writes a turn as a stream; every call returns the bytes to send. */
export interface StreamWriter {
  /** What opens the stream, before the first event's bytes (absent: nothing). */
  start?(): string;
  write(event: TurnEvent): string;
  /** A failure after the stream began, as the dialect's error event (the stream's last bytes). */
  error(error: ClientError): string;
  /** What closes a finished stream after the last event (absent: nothing). */
  done?(): string;
}

export interface TurnOutcome {
  status: number;
  committed: boolean;
  firstOutputAt?: number;
  events: TurnEvent[];
  error?: unknown;
  accountId?: string;
  attempts: number;
  /** The attempts that failed before the last one, oldest first. */
  failedAttempts?: FailedAttempt[];
  cache?: CacheResult;
}

export interface ServeTurnOptions {
  dialect: ApiDialect;
  translation: KiroTranslation;
  /** Keeps one client conversation on one account (Claude Code's session id). */
  sessionKey?: string;
  stream: boolean;
  /** Made at most once per request, when the stream (or its failure) needs it. */
  writer: () => StreamWriter;
  buildJson: (events: TurnEvent[]) => object;
  /**
   * Called once with the finished turn's outcome, before its last bytes go out (the stream's closing event, the
   * JSON answer, the error): a client that has its whole answer finds it on record, even if the process dies then.
   */
  settle: (outcome: TurnOutcome) => void;
  /** Answers identical requests of one asker once (while it is on); `cacheRequest` is what it needs for that. */
  responseCache?: ResponseCache;
  cacheRequest?: CacheRequest;
  /**
   * Runs the turn in place of a single Kiro call (the web search loop); such turns skip the response cache, as
   * search results are not the same twice.
   */
  run?: (sink: TurnSink, signal: AbortSignal) => Promise<void>;
}

/** Sends what is left of the answer once its outcome is settled. */
type FinalBytes = () => void;

/** A stream's writer (made on first use) and the bytes held back from the client until the turn is on record. */
interface StreamState {
  writer(): StreamWriter;
  held: string;
}

export async function serveTurn(
  deps: TurnDeps,
  req: Request,
  res: Response,
  options: ServeTurnOptions,
): Promise<TurnOutcome> {
  const abort = abortWhenClientLeaves(req, res);
  const outcome: TurnOutcome = { status: 200, committed: false, events: [], attempts: 0 };
  const onAttempt: OnAttempt = (accountId, attempt, retryOf) => {
    outcome.accountId = accountId;
    outcome.attempts = attempt;
    if (retryOf) (outcome.failedAttempts ??= []).push(retryOf);
  };
  const turn: TurnInProgress = {
    outcome,
    stream: streamState(options.writer),
    signal: abort.signal,
    onAttempt,
  };
  let finalBytes: FinalBytes;
  try {
    finalBytes = options.stream
      ? await streamTurn(deps, res, options, turn)
      : await answerTurn(deps, res, options, turn);
  } catch (error) {
    finalBytes = failedTurn(res, options.dialect, turn, error);
  }
  try {
    settleThenSend(() => options.settle(outcome), finalBytes);
  } finally {
    abort.dispose();
  }
  return outcome;
}

/** The record comes first; a record that fails must still not cost the client its answer. */
function settleThenSend(settle: () => void, finalBytes: FinalBytes): void {
  try {
    settle();
  } finally {
    finalBytes();
  }
}

interface TurnInProgress {
  outcome: TurnOutcome;
  stream: StreamState;
  signal: AbortSignal;
  onAttempt: OnAttempt;
}

function streamState(makeWriter: () => StreamWriter): StreamState {
  let writer: StreamWriter | undefined;
  return { writer: () => (writer ??= makeWriter()), held: '' };
}

/** The client's error: as the answer while nothing was sent, else as the stream's closing event. */
function failedTurn(res: Response, dialect: ApiDialect, turn: TurnInProgress, error: unknown): FinalBytes {
  const { outcome, stream } = turn;
  outcome.error = error;
  if (turn.signal.aborted) {
    outcome.status = 499;
    return () => {};
  }
  const clientError = toClientError(error);
  if (!outcome.committed) {
    outcome.status = clientError.status;
    return () => sendDecidedClientError(res, dialect, clientError);
  }
  const text = stream.held + stream.writer().error(clientError);
  return () => res.end(text);
}

async function streamTurn(
  deps: TurnDeps,
  res: Response,
  options: ServeTurnOptions,
  turn: TurnInProgress,
): Promise<FinalBytes> {
  const { outcome, stream, signal } = turn;
  await runTurnThroughCache(
    deps,
    res,
    options,
    outcome,
    {
      onAttempt: turn.onAttempt,
      canRestartAfterOutput: false,
      onOutput: async (events) => {
        let text = '';
        if (!outcome.committed) {
          outcome.committed = true;
          outcome.firstOutputAt = deps.clock.monotonicNow();
          res.writeHead(200, {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache',
            connection: 'keep-alive',
            'x-accel-buffering': 'no',
          });
          text += stream.writer().start?.() ?? '';
        }
        text += renderHoldingTheEnd(stream, events);
        outcome.events.push(...events);
        if (!res.write(text)) await waitForDrain(res, signal);
      },
    },
    signal,
  );
  const text = stream.held + (stream.writer().done?.() ?? '');
  return () => res.end(text);
}

/**
 * The bytes to send now. From the turn's `end` event on, the bytes are held (and sent with the next output, or
 * after the turn is on record): the end is what tells a client its answer is complete.
 */
function renderHoldingTheEnd(stream: StreamState, events: TurnEvent[]): string {
  let text = stream.held;
  stream.held = '';
  let holding = false;
  for (const event of events) {
    const bytes = stream.writer().write(event);
    holding ||= event.type === 'end';
    if (holding) stream.held += bytes;
    else text += bytes;
  }
  return text;
}

async function answerTurn(
  deps: TurnDeps,
  res: Response,
  options: ServeTurnOptions,
  turn: TurnInProgress,
): Promise<FinalBytes> {
  const { outcome, signal, onAttempt } = turn;
  await runTurnThroughCache(
    deps,
    res,
    options,
    outcome,
    {
      onAttempt,
      canRestartAfterOutput: true,
      onOutput: (events) => {
        outcome.firstOutputAt ??= deps.clock.monotonicNow();
        outcome.events.push(...events);
      },
      onRestart: () => {
        outcome.events = [];
        outcome.firstOutputAt = undefined;
      },
    },
    signal,
  );
  outcome.committed = true;
  const body = options.buildJson(outcome.events);
  return () => res.status(200).json(body);
}

/** The turn from the response cache when there is one (which may share another request's call), else from Kiro. */
function runTurnThroughCache(
  deps: TurnDeps,
  res: Response,
  options: ServeTurnOptions,
  outcome: TurnOutcome,
  sink: TurnSink,
  signal: AbortSignal,
): Promise<void> {
  const request = { translation: options.translation, sessionKey: options.sessionKey };
  if (options.run) return options.run(sink, signal);
  const run = (shared: TurnSink, sharedSignal: AbortSignal) =>
    runTurnWithReasoningRetry(deps, request, shared, sharedSignal);
  // Without any account Kiro Dock is not set up: it says so rather than answer from what earlier accounts got.
  const { responseCache, cacheRequest } = options;
  if (
    responseCache === undefined ||
    cacheRequest === undefined ||
    !responseCache.settings().enabled ||
    deps.accounts.accountCount() === 0
  ) {
    return run(sink, signal);
  }
  return responseCache.serve(cacheRequest, sink, signal, run, (result) => {
    outcome.cache = result;
    res.setHeader(CACHE_HEADER, result);
  });
}

/** Backpressure: a slow client slows the upstream read instead of growing a buffer. */
function waitForDrain(res: Response, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Aborts the upstream call when the client disconnects before the answer is complete. */
function abortWhenClientLeaves(_req: Request, res: Response): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  };
  res.once('close', onClose);
  return { signal: controller.signal, dispose: () => res.off('close', onClose) };
}
