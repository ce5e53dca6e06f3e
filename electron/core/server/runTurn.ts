/**
 * One assistant turn from Kiro, with the failover rules that keep clients whole: attempts are repeated only
 * while nothing has reached the client (so text is never sent twice); a rejected token is refreshed once and
 * retried on the same account; throttled, suspended or exhausted accounts are parked and the request moves to
 * another account; transient failures back off within a small budget.
 */
import type { AccountLease, AccountService } from '../accounts/accountService.ts';
import { decideFailover } from '../accounts/failoverPolicy.ts';
import type { KiroClient, KiroCredential } from '../kiro/kiroClient.ts';
import type { KiroEvent } from '../kiro/kiroEvents.ts';
import { UpstreamError } from '../kiro/upstreamError.ts';
import type { Clock, Logger } from '../ports.ts';
import type { KiroTranslation } from '../translate/anthropicToKiro.ts';
import { createTurnAssembler } from '../translate/turnAssembler.ts';
import type { TurnEvent } from '../translate/turnEvents.ts';

export interface TurnDeps {
  client: KiroClient;
  accounts: AccountService;
  logger: Logger;
  clock: Clock;
  random?: () => number;
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
  /**
   * Called at each attempt with the account serving it and, from the second attempt on, the failure of the
   * attempt before it (what made the request retry or fail over).
   */
  onAttempt?(accountId: string, attempt: number, retryOf?: FailedAttempt): void;
}

/** An attempt that failed and was retried, as the requests log shows it. */
export interface FailedAttempt {
  accountId: string;
  kind: UpstreamError['kind'];
  /** Kiro's HTTP status, when it answered. */
  status?: number;
}

export interface TurnRequest {
  translation: KiroTranslation;
  /** Keeps one conversation on one account while that account is healthy. */
  sessionKey?: string;
}

export async function runTurn(
  deps: TurnDeps,
  request: TurnRequest,
  sink: TurnSink,
  signal: AbortSignal,
): Promise<void> {
  const random = deps.random ?? Math.random;
  const tried = new Set<string>();
  const maxAttempts = Math.min(6, Math.max(3, deps.accounts.accountCount() + 1));
  let lease: AccountLease = await deps.accounts.lease({
    sessionKey: request.sessionKey,
    exclude: tried,
    signal,
  });
  let refreshed = false;
  let retryOf: FailedAttempt | undefined;
  for (let attempt = 1; ; attempt++) {
    let produced = false;
    sink.onAttempt?.(lease.accountId, attempt, retryOf);
    try {
      await runAttempt(deps, request.translation, lease.credential, attempt, signal, async (events) => {
        produced = true;
        await sink.onOutput(events);
      });
      deps.accounts.reportSuccess(lease.accountId);
      lease.release();
      return;
    } catch (error) {
      const retryable =
        !signal.aborted && (!produced || sink.canRestartAfterOutput) && error instanceof UpstreamError;
      const decision = retryable
        ? decideFailover(error, {
            attempt,
            maxAttempts,
            alreadyRefreshed: refreshed,
            otherAccountsAvailable: deps.accounts.hasOtherEligible(new Set([...tried, lease.accountId])),
            consecutiveThrottles: deps.accounts.consecutiveThrottles(lease.accountId),
            now: deps.clock.now(),
            random: random(),
          })
        : ({ action: 'fail' } as const);
      if (decision.action === 'fail') {
        lease.release();
        throw error;
      }
      sink.onRestart?.();
      retryOf = failedAttemptOf(lease.accountId, error as UpstreamError);
      if (decision.action === 'refresh_and_retry_same') {
        refreshed = true;
        deps.logger.info({ account: lease.accountId, attempt }, 'token rejected by Kiro; refreshing once');
        lease = { ...lease, credential: await refreshOrRelease(deps, lease) };
        continue;
      }
      lease.release();
      deps.accounts.reportFailure(lease.accountId, error, decision.accountState, decision.checkQuota);
      if (
        !decision.sameAccountAllowed ||
        deps.accounts.hasOtherEligible(new Set([...tried, lease.accountId]))
      ) {
        tried.add(lease.accountId);
      }
      const kind = (error as UpstreamError).kind;
      deps.logger.warn(
        { account: lease.accountId, attempt, kind, delayMs: decision.delayMs },
        'retrying Kiro call',
      );
      if (decision.delayMs > 0) await deps.clock.sleep(decision.delayMs, signal);
      lease = await deps.accounts.lease({ sessionKey: request.sessionKey, exclude: tried, signal });
      refreshed = false;
    }
  }
}

function failedAttemptOf(accountId: string, error: UpstreamError): FailedAttempt {
  return error.status === undefined
    ? { accountId, kind: error.kind }
    : { accountId, kind: error.kind, status: error.status };
}

async function refreshOrRelease(deps: TurnDeps, lease: AccountLease): Promise<KiroCredential> {
  try {
    return await deps.accounts.forceRefresh(lease.accountId, lease.credential);
  } catch (error) {
    lease.release();
    throw error;
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
    const { output, failure } = assemble(assembler, batch);
    // What preceded a failing event in the same read still reaches the client, before the error does.
    if (output.length > 0) await emit(output);
    if (failure !== undefined) throw failure;
  }
  await emit(assembler.finish());
}

function assemble(
  assembler: ReturnType<typeof createTurnAssembler>,
  batch: KiroEvent[],
): { output: TurnEvent[]; failure?: unknown } {
  const output: TurnEvent[] = [];
  try {
    for (const event of batch) output.push(...assembler.push(event));
  } catch (failure) {
    return { output, failure };
  }
  return { output };
}
