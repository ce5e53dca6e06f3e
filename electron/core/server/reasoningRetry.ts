/**
 * A turn whose replayed reasoning Kiro refuses (`THINKING_SIGNATURE_INVALID`: the client sent back a signature
 * Kiro did not issue, or another account's) is sent once more without the reasoning in history, as long as
 * nothing has reached the client yet (docs/native-reasoning.md). The model loses its earlier reasoning, the
 * client gets its answer.
 */
import { UpstreamError } from '../kiro/upstreamError.ts';
import { hasReplayedReasoning, withoutReplayedReasoning } from '../translate/nativeReasoning.ts';
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
    const body = request.translation.body;
    if (produced || signal.aborted || !isSignatureRejection(error) || !hasReplayedReasoning(body))
      throw error;
    deps.logger.warn({}, 'Kiro refused a reasoning signature from history; sending the turn without it');
    sink.onRestart?.();
    const translation = { ...request.translation, body: withoutReplayedReasoning(body) };
    await runTurn(deps, { ...request, translation }, sink, signal);
  }
}

export function isSignatureRejection(error: unknown): boolean {
  return (
    error instanceof UpstreamError &&
    (error.reason === 'THINKING_SIGNATURE_INVALID' || /THINKING_SIGNATURE_INVALID/.test(error.message))
  );
}
