/**
 * One assistant turn from Kiro, with the retry rules that keep clients whole: attempts are repeated only while
 * nothing has reached the client (so text is never sent twice), a rejected token is refreshed once and retried
 * on the spot, and other retryable failures back off (honouring Retry-After) within a small budget.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccountCredentials } from '../accounts/ideAccount.ts';
import type { KiroClient, KiroCredential } from '../kiro/kiroClient.ts';
import { retryDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../kiro/retryPolicy.ts';
import { UpstreamError } from '../kiro/upstreamError.ts';
import type { KiroTranslation } from '../translate/anthropicToKiro.ts';
import { createTurnAssembler } from '../translate/turnAssembler.ts';
import type { TurnEvent } from '../translate/turnEvents.ts';
import type { Logger } from '../ports.ts';

export interface TurnDeps {
  client: KiroClient;
  account: AccountCredentials;
  logger: Logger;
  retryPolicy?: RetryPolicy;
}

export interface TurnSink {
  /** Receives output as it is produced; the first call commits the turn (no retry after it when streaming). */
  onOutput(events: TurnEvent[]): Promise<void> | void;
  /**
   * Whether a failed attempt that already produced output may be retried from scratch: true when the output
   * was only buffered (non-streaming), never when any of it reached the client.
   */
  canRestartAfterOutput: boolean;
  /** Called before a restart so a buffering sink can drop the failed attempt's output. */
  onRestart?(): void;
}

export async function runTurn(
  deps: TurnDeps,
  translation: KiroTranslation,
  sink: TurnSink,
  signal: AbortSignal,
): Promise<void> {
  const policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
  let credential: KiroCredential = await deps.account.acquire();
  let refreshedAfterRejection = false;
  for (let attempt = 1; ; attempt++) {
    let produced = false;
    try {
      await runAttempt(deps, translation, credential, attempt, signal, async (events) => {
        produced = true;
        await sink.onOutput(events);
      });
      return;
    } catch (error) {
      if (signal.aborted) throw error;
      if (produced && !sink.canRestartAfterOutput) throw error;
      if (!(error instanceof UpstreamError)) throw error;
      if (error.kind === 'invalid_token' && !refreshedAfterRejection) {
        refreshedAfterRejection = true;
        deps.logger.info({ attempt }, 'token rejected by Kiro; refreshing once');
        credential = await deps.account.recoverFromRejectedToken(credential);
        sink.onRestart?.();
        continue;
      }
      const delay = retryDelayMs(attempt, error, policy);
      if (delay === null) throw error;
      deps.logger.warn({ attempt, kind: error.kind, delayMs: delay }, 'retrying Kiro call');
      sink.onRestart?.();
      await sleep(delay, undefined, { signal });
      credential = await deps.account.acquire();
    }
  }
}

async function runAttempt(
  deps: TurnDeps,
  translation: KiroTranslation,
  credential: KiroCredential,
  attempt: number,
  signal: AbortSignal,
  emit: (events: TurnEvent[]) => Promise<void>,
): Promise<void> {
  const assembler = createTurnAssembler({
    thinking: translation.thinking,
    restoreToolName: translation.restoreToolName,
    estimatedInputTokens: translation.estimatedInputTokens,
    contextWindow: translation.contextWindow,
  });
  const body = credential.profileArn
    ? { ...translation.body, profileArn: translation.body.profileArn ?? credential.profileArn }
    : translation.body;
  const batches = await deps.client.streamAssistantResponse(body, credential, { signal, attempt });
  for await (const batch of batches) {
    const output: TurnEvent[] = [];
    try {
      for (const event of batch) output.push(...assembler.push(event));
    } finally {
      // What preceded a failing event in the same read still reaches the client, before the error does.
      if (output.length > 0) await emit(output);
    }
  }
  await emit(assembler.finish());
}
