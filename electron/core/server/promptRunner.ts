/**
 * One prompt answered without HTTP, for hosts that speak another protocol (`kiro-dock daemon` over stdio): the
 * request is validated and translated as on /v1/messages, served by the same runTurn (pool, failover, refresh),
 * and accounted for in the same log line, metrics and requests log, under its source's name.
 *
 * It does not go through the response cache: a prompt here names no temperature, so it asks for a fresh draw
 * (the API default, 1), which the cache leaves to Kiro anyway.
 */
import type { ModelCatalogue } from '../cache/modelCatalogue.ts';
import { anthropicRequestSchema, type AnthropicRequest } from '../translate/anthropicRequest.ts';
import { translateAnthropicRequest, type KiroTranslation } from '../translate/anthropicToKiro.ts';
import type { StopReason, TurnEvent, TurnUsage } from '../translate/turnEvents.ts';
import type { RequestStats } from '../stats/requestStats.ts';
import { toClientError } from './clientErrors.ts';
import { randomId } from './randomId.ts';
import type { RecordRequest } from './requestRecorder.ts';
import { runTurn, type TurnDeps } from './runTurn.ts';
import type { RequestOrigin, RequestRecord } from './turn/requestRecord.ts';
import type { TurnSink } from './turn/turnSink.ts';
import { validateBody } from './validateBody.ts';

export type PromptSource = 'daemon';

export interface PromptRequest {
  /** Any model id /v1/messages takes: a Claude id (mapped to Kiro's) or one of Kiro's own. */
  model: string;
  /** Anthropic-shaped turns, validated as on /v1/messages. */
  messages: unknown;
  system?: unknown;
  maxTokens?: number;
  /** Whether the caller receives text as it arrives (`onText`); a buffered answer may be retried whole. */
  stream?: boolean;
  /** Who asked: the requests log's `source` and the metrics' route label. */
  source: PromptSource;
}

export interface PromptOptions {
  /** Each piece of answer text as Kiro produces it; the turn waits for a returned promise (backpressure). */
  onText?(text: string): Promise<void> | void;
  signal?: AbortSignal;
}

export interface PromptAnswer {
  /** The request id, as in the log and the dashboard's requests log. */
  id: string;
  text: string;
  stopReason: StopReason;
  usage: TurnUsage;
}

/** A prompt that was refused or failed, in the words an Anthropic client would get (`type`, `message`). */
export class PromptError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** The HTTP status the same failure gets on /v1/messages (499: cancelled). */
    readonly status: number,
    /** The request id, as in the log and the dashboard's requests log. */
    readonly requestId: string,
  ) {
    super(message);
    this.name = 'PromptError';
  }
}

export interface PromptRunnerDeps {
  turnDeps: TurnDeps;
  stats: RequestStats;
  recordRequest: RecordRequest;
  modelAliases: Record<string, string>;
  /** Kiro's input limits per model (absent: the built-in list). */
  models?: Pick<ModelCatalogue, 'limits'>;
}

export type RunPrompt = (request: PromptRequest, options?: PromptOptions) => Promise<PromptAnswer>;

export function createPromptRunner(deps: PromptRunnerDeps): RunPrompt {
  return async (request, options = {}) => {
    const started = deps.turnDeps.clock.monotonicNow();
    const body = anthropicBodyOf(request);
    const origin: RequestOrigin = {
      id: randomId('req_'),
      route: request.source,
      method: 'PROMPT',
      path: request.source,
      source: request.source,
      body,
    };
    const record: RequestRecord = { status: 200, started, model: request.model, attempts: 0 };
    const signal = options.signal ?? new AbortController().signal;
    deps.stats.requestStarted();
    try {
      const calibration = deps.turnDeps.calibration;
      const translation = translateAnthropicRequest(validateBody(anthropicRequestSchema, body), {
        modelAliases: deps.modelAliases,
        ...(deps.models && { modelLimits: await deps.models.limits() }),
        ...(calibration && { inputTokens: (modelId, parts) => calibration.estimate(modelId, parts) }),
      });
      record.modelId = translation.modelId;
      const turn = { stream: request.stream === true, onText: options.onText, signal };
      const events = await runPromptTurn(deps.turnDeps, translation, turn, record);
      return { id: origin.id, ...answerOf(events) };
    } catch (error) {
      record.error = error;
      throw promptErrorOf(error, signal, record, origin.id);
    } finally {
      deps.stats.requestEnded();
      deps.recordRequest(origin, record);
    }
  };
}

function anthropicBodyOf(request: PromptRequest): Partial<AnthropicRequest> {
  return {
    model: request.model,
    messages: request.messages as AnthropicRequest['messages'],
    ...(request.system !== undefined && { system: request.system as AnthropicRequest['system'] }),
    ...(request.maxTokens !== undefined && { max_tokens: request.maxTokens }),
    stream: request.stream === true,
  };
}

/** Runs the turn, keeping in `record` what the log and the stats need; returns every event of the answer. */
async function runPromptTurn(
  turnDeps: TurnDeps,
  translation: KiroTranslation,
  { stream, onText, signal }: { stream: boolean; onText: PromptOptions['onText']; signal: AbortSignal },
  record: RequestRecord,
): Promise<TurnEvent[]> {
  record.events = [];
  const sink: TurnSink = {
    // Streamed text has reached the caller and cannot be taken back; buffered text can.
    canRestartAfterOutput: !stream,
    onAttempt: (accountId, attempt, retryOf) => {
      record.accountId = accountId;
      record.attempts = attempt;
      if (retryOf) (record.failedAttempts ??= []).push(retryOf);
    },
    onRestart: () => {
      record.events = [];
      record.firstOutputAt = undefined;
    },
    onOutput: async (events) => {
      record.firstOutputAt ??= turnDeps.clock.monotonicNow();
      record.events!.push(...events);
      if (!stream || !onText) return;
      const text = textOf(events);
      if (text.length > 0) await onText(text);
    },
  };
  await runTurn(turnDeps, { translation }, sink, signal);
  return record.events;
}

function answerOf(events: readonly TurnEvent[]): Omit<PromptAnswer, 'id'> {
  const end = events.findLast((event) => event.type === 'end');
  // Kiro's own input figure is for the calibration only: callers get the one figure everyone gets.
  const { upstreamInputTokens: _upstream, ...usage } =
    end?.type === 'end' ? end.usage : { inputTokens: 0, outputTokens: 0 };
  return { text: textOf(events), stopReason: end?.type === 'end' ? end.stopReason : 'end_turn', usage };
}

function textOf(events: readonly TurnEvent[]): string {
  let text = '';
  for (const event of events) if (event.type === 'text_delta') text += event.text;
  return text;
}

function promptErrorOf(
  error: unknown,
  signal: AbortSignal,
  record: RequestRecord,
  requestId: string,
): PromptError {
  if (signal.aborted) {
    record.status = 499;
    const reason = signal.reason instanceof Error ? signal.reason.message : 'the caller cancelled it';
    return new PromptError('cancelled', `The request was cancelled: ${reason}.`, 499, requestId);
  }
  const client = toClientError(error);
  record.status = client.status;
  return new PromptError(client.type, client.message, client.status, requestId);
}
