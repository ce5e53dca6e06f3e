/**
 * Serves one translated request as a stream (SSE, written as Kiro's events arrive) or as one JSON answer.
 * Headers are committed only when the first output exists, so every failure before that still gets a proper
 * HTTP status in the client's dialect; a failure after it ends the stream with a well-formed error event.
 */
import type { Request, Response } from 'express';
import type { KiroTranslation } from '../translate/anthropicToKiro.ts';
import type { TurnEvent } from '../translate/turnEvents.ts';
import { toClientError, type ClientError } from './clientErrors.ts';
import { sendClientError, type ApiDialect } from './apiDialect.ts';
import { runTurn, type TurnDeps } from './runTurn.ts';

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
}

export interface ServeTurnOptions {
  dialect: ApiDialect;
  translation: KiroTranslation;
  /** Keeps one client conversation on one account (Claude Code's session id). */
  sessionKey?: string;
  stream: boolean;
  renderer: () => StreamRenderer;
  buildJson: (events: TurnEvent[]) => object;
}

export async function serveTurn(
  deps: TurnDeps,
  req: Request,
  res: Response,
  options: ServeTurnOptions,
): Promise<TurnOutcome> {
  const abort = abortWhenClientLeaves(req, res);
  const outcome: TurnOutcome = { status: 200, committed: false, events: [], attempts: 0 };
  const onAttempt = (accountId: string, attempt: number) => {
    outcome.accountId = accountId;
    outcome.attempts = attempt;
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
  onAttempt: (accountId: string, attempt: number) => void,
): Promise<void> {
  const renderer = options.renderer();
  await runTurn(
    deps,
    { translation: options.translation, sessionKey: options.sessionKey },
    {
      onAttempt,
      canRestartAfterOutput: false,
      onOutput: async (events) => {
        let text = '';
        if (!outcome.committed) {
          outcome.committed = true;
          outcome.firstOutputAt = performance.now();
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
  onAttempt: (accountId: string, attempt: number) => void,
): Promise<void> {
  await runTurn(
    deps,
    { translation: options.translation, sessionKey: options.sessionKey },
    {
      onAttempt,
      canRestartAfterOutput: true,
      onOutput: (events) => {
        outcome.firstOutputAt ??= performance.now();
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
