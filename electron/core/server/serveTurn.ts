/**
 * Serves one translated request as a stream (SSE, written as Kiro's events arrive) or as one JSON answer.
 * Headers are committed only when the first output exists, so every failure before that still gets a proper
 * HTTP status in the client's dialect; a failure after it ends the stream with a well-formed error event.
 */
import type { Request, Response } from 'express';
import type { CacheRequest, CacheResult, ResponseCache } from '../cache/responseCache.ts';
import type { KiroTranslation } from '../translate/anthropicToKiro.ts';
import type { TurnEvent } from '../translate/turnEvents.ts';
import { toClientError, type ClientError } from './clientErrors.ts';
import { sendClientError, type ApiDialect } from './apiDialect.ts';
import type { FailedAttempt, TurnDeps, TurnSink } from './runTurn.ts';
import { runTurnWithReasoningRetry } from './reasoningRetry.ts';

type OnAttempt = NonNullable<TurnSink['onAttempt']>;

/**
 * Tells clients (and tests) how the response cache took part: hit, miss, coalesced, or bypass (the cache is on
 * but left this request to Kiro). Absent while the cache is off.
 */
export const CACHE_HEADER = 'x-kiro-dock-cache';

export interface StreamRenderer {
  begin(): string;
  render(event: TurnEvent): string;
  fail(error: ClientError): string;
  end(): string;
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
  renderer: () => StreamRenderer;
  buildJson: (events: TurnEvent[]) => object;
  /** Answers identical requests of one asker once (while it is on); `cacheRequest` is what it needs for that. */
  responseCache?: ResponseCache;
  cacheRequest?: CacheRequest;
  /**
   * Runs the turn in place of a single Kiro call (the web search loop); such turns skip the response cache, as
   * search results are not the same twice.
   */
  run?: (sink: TurnSink, signal: AbortSignal) => Promise<void>;
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
  try {
    if (options.stream) await streamTurn(deps, res, options, outcome, abort.signal, onAttempt);
    else await answerTurn(deps, res, options, outcome, abort.signal, onAttempt);
  } catch (error) {
    outcome.error = error;
    if (abort.signal.aborted) {
      outcome.status = 499;
    } else if (!outcome.committed) {
      outcome.status = sendClientError(res, options.dialect, error).status;
    } else {
      const renderer = options.renderer();
      res.end(renderer.fail(toClientError(error)));
    }
  } finally {
    abort.dispose();
  }
  return outcome;
}

async function streamTurn(
  deps: TurnDeps,
  res: Response,
  options: ServeTurnOptions,
  outcome: TurnOutcome,
  signal: AbortSignal,
  onAttempt: OnAttempt,
): Promise<void> {
  const renderer = options.renderer();
  await runTurnThroughCache(
    deps,
    res,
    options,
    outcome,
    {
      onAttempt,
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
          text += renderer.begin();
        }
        for (const event of events) text += renderer.render(event);
        outcome.events.push(...events);
        if (!res.write(text)) await waitForDrain(res, signal);
      },
    },
    signal,
  );
  res.end(renderer.end());
}

async function answerTurn(
  deps: TurnDeps,
  res: Response,
  options: ServeTurnOptions,
  outcome: TurnOutcome,
  signal: AbortSignal,
  onAttempt: OnAttempt,
): Promise<void> {
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
  res.status(200).json(options.buildJson(outcome.events));
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
