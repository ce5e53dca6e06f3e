/**
 * A turn whose replayed reasoning Kiro refuses (`THINKING_SIGNATURE_INVALID`: the client sent back a signature
 * Kiro did not issue, or another account's) is sent once more without the reasoning in history, as long as
 * nothing has reached the client yet (docs/native-reasoning.md). The model loses its earlier reasoning, the
 * client gets its answer. A turn whose native reasoning fields Kiro refuses for the model (its catalogue entry
 * advertised them) is sent once more with thinking as prompt tags.
 */
import { UpstreamError } from '../kiro/upstreamError.ts';
import { hasReplayedReasoning, withoutReplayedReasoning } from '../translate/nativeReasoning.ts';
import type { KiroTranslation } from '../translate/anthropicToKiro.ts';
import { runTurn, type TurnDeps, type TurnRequest } from './runTurn.ts';
import type { TurnSink } from './turn/turnSink.ts';

export async function runTurnWithReasoningRetry(
  deps: TurnDeps,
  request: TurnRequest,
  sink: TurnSink,
  signal: AbortSignal,
): Promise<void> {
  let produced = false;
  // Delegates member by member: a sink may be a class instance whose getters and methods a spread would lose.
  const watched: TurnSink = {
    get canRestartAfterOutput() {
      return sink.canRestartAfterOutput;
    },
    onOutput: (events) => {
      produced = true;
      return sink.onOutput(events);
    },
    onRestart: () => sink.onRestart?.(),
    onAttempt: (accountId, attempt, retryOf) => sink.onAttempt?.(accountId, attempt, retryOf),
  };
  try {
    await runTurn(deps, request, watched, signal);
  } catch (error) {
    const translation = produced || signal.aborted ? undefined : retryTranslation(deps, request, error);
    if (!translation) throw error;
    sink.onRestart?.();
    await runTurn(deps, { ...request, translation }, sink, signal);
  }
}

/** The turn as it is sent once more after Kiro refused its reasoning; undefined: the refusal stands. */
function retryTranslation(deps: TurnDeps, request: TurnRequest, error: unknown): KiroTranslation | undefined {
  const { translation } = request;
  if (isSignatureRejection(error) && hasReplayedReasoning(translation.body)) {
    deps.logger.warn({}, 'Kiro refused a reasoning signature from history; sending the turn without it');
    return { ...translation, body: withoutReplayedReasoning(translation.body) };
  }
  if (isReasoningFieldsRefusal(error) && translation.withThinkingTags) {
    deps.logger.warn(
      { model: translation.modelId },
      'Kiro refused the native reasoning fields for this model; sending the turn with thinking as prompt tags',
    );
    return translation.withThinkingTags();
  }
  return undefined;
}

/** 400 "additionalModelRequestFields is not supported for this model". */
export function isReasoningFieldsRefusal(error: unknown): boolean {
  return (
    error instanceof UpstreamError &&
    error.kind === 'invalid_request' &&
    /additionalModelRequestFields/.test(error.message)
  );
}

export function isSignatureRejection(error: unknown): boolean {
  return (
    error instanceof UpstreamError &&
    (error.reason === 'THINKING_SIGNATURE_INVALID' || /THINKING_SIGNATURE_INVALID/.test(error.message))
  );
}
