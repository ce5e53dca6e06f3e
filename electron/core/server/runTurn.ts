/**
 * One assistant turn from Kiro, with the failover rules that keep clients whole: attempts are repeated only
 * while nothing has reached the client (so text is never sent twice); a rejected token is refreshed once and
 * retried on the same account; throttled, suspended or exhausted accounts are parked and the request moves to
 * another account; transient failures back off within a small budget.
 */
import type { AccountLease, AccountService } from '../accounts/accountService.ts';
import { decideFailover, type FailoverDecision } from '../accounts/failoverPolicy.ts';
import { PACED_REASON, type ThrottlePacer } from '../accounts/throttlePacer.ts';
import type { KiroClient, KiroCredential } from '../kiro/kiroClient.ts';
import type { KiroEvent } from '../kiro/kiroEvents.ts';
import { UpstreamError } from '../kiro/upstreamError.ts';
import type { Clock, Logger } from '../ports.ts';
import type { InputTokenCalibration } from '../stats/inputTokenCalibration.ts';
import type { KiroTranslation } from '../translate/anthropicToKiro.ts';
import { createTurnAssembler } from '../translate/turnAssembler.ts';
import type { TurnEvent } from '../translate/turnEvents.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';
import type { FailedAttempt, TurnSink } from './turn/turnSink.ts';

export interface TurnDeps {
  client: KiroClient;
  accounts: AccountService;
  logger: Logger;
  clock: Clock;
  /** Spaces calls to throttled accounts across requests (absent: no pacing, as in unit tests of the path). */
  pacer?: ThrottlePacer;
  /** Each model's input-token scale, learnt from Kiro's figures (absent: the plain estimate, nothing learnt). */
  calibration?: InputTokenCalibration;
  random?: () => number;
}

export interface TurnRequest {
  translation: KiroTranslation;
  /** Keeps one conversation on one account while that account is healthy. */
  sessionKey?: string;
}

/**
 * Upstream calls one client request may cost: the client retries on its own (Claude Code up to 10 times), so
 * the dock's retries multiply with its; one more than the accounts, so each may be tried, but never more than 4.
 */
const MAX_ATTEMPTS = 4;
/** A throttled account is asked at most twice per client request; the client's next retry may try again. */
export const MAX_THROTTLED_ATTEMPTS = 2;

/** What one request has learnt about its failures so far. */
interface TurnProgress {
  tried: Set<string>;
  refreshed: boolean;
  throttled: number;
  /** A quota error was already checked against getUsageLimits in this request. */
  quotaChecked: boolean;
}

export async function runTurn(
  deps: TurnDeps,
  request: TurnRequest,
  sink: TurnSink,
  signal: AbortSignal,
): Promise<void> {
  const random = deps.random ?? Math.random;
  const progress: TurnProgress = { tried: new Set(), refreshed: false, throttled: 0, quotaChecked: false };
  const maxAttempts = Math.min(MAX_ATTEMPTS, Math.max(2, deps.accounts.accountCount() + 1));
  let lease: AccountLease = await deps.accounts.lease({
    sessionKey: request.sessionKey,
    exclude: progress.tried,
    signal,
  });
  let retryOf: FailedAttempt | undefined;
  for (let attempt = 1; ; attempt++) {
    let produced = false;
    try {
      await deps.pacer?.admit(lease.accountId, signal);
      sink.onAttempt?.(lease.accountId, attempt, retryOf);
      await runAttempt(deps, request.translation, lease.credential, attempt, signal, async (events) => {
        produced = true;
        await sink.onOutput(events);
      });
      deps.accounts.reportSuccess(lease.accountId);
      deps.pacer?.succeeded(lease.accountId);
      lease.release();
      return;
    } catch (caught) {
      const error = paced(deps, lease.accountId, caught, progress);
      const retryable =
        !signal.aborted && (!produced || sink.canRestartAfterOutput) && error instanceof UpstreamError;
      const decision = retryable
        ? await decide(deps, lease, error, progress, { attempt, maxAttempts, random: random() })
        : ({ action: 'fail' } as const);
      if (decision.action === 'fail') {
        lease.release();
        throw error;
      }
      sink.onRestart?.();
      retryOf = failedAttemptOf(lease.accountId, error as UpstreamError);
      if (decision.action === 'refresh_and_retry_same') {
        progress.refreshed = true;
        deps.logger.info({ account: lease.accountId, attempt }, 'token rejected by Kiro; refreshing once');
        lease = { ...lease, credential: await refreshOrRelease(deps, lease) };
        continue;
      }
      lease = await moveOn(deps, request, lease, error as UpstreamError, decision, progress, attempt, signal);
    }
  }
}

/**
 * A throttle (an HTTP 429 or a ThrottlingException frame) slows every later call to the account; the client is
 * told the pause as its Retry-After when Kiro gave none or a shorter one.
 */
function paced(deps: TurnDeps, accountId: string, error: unknown, progress: TurnProgress): unknown {
  if (!(error instanceof UpstreamError) || error.kind !== 'rate_limited') return error;
  progress.throttled += 1;
  if (error.reason === PACED_REASON || deps.pacer === undefined) return error;
  const pauseMs = deps.pacer.throttled(accountId, error.retryAfterMs);
  if (error.retryAfterMs !== undefined && error.retryAfterMs >= pauseMs) return error;
  return new UpstreamError(error.kind, error.message, {
    status: error.status,
    reason: error.reason,
    retryAfterMs: pauseMs,
    cause: error,
  });
}

async function decide(
  deps: TurnDeps,
  { accountId, credential }: AccountLease,
  error: UpstreamError,
  progress: TurnProgress,
  turn: { attempt: number; maxAttempts: number; random: number },
) {
  const quotaLeft =
    error.kind === 'quota_exhausted' ? await confirmQuota(deps, accountId, progress) : undefined;
  return decideFailover(error, {
    attempt: turn.attempt,
    maxAttempts: turn.maxAttempts,
    alreadyRefreshed: progress.refreshed,
    apiKey: credential.isApiKey === true,
    otherAccountsAvailable: deps.accounts.hasOtherEligible(new Set([...progress.tried, accountId])),
    consecutiveThrottles: deps.accounts.consecutiveThrottles(accountId),
    throttledAttempts: progress.throttled,
    maxThrottledAttempts: MAX_THROTTLED_ATTEMPTS,
    quotaLeft,
    now: deps.clock.now(),
    random: turn.random,
  });
}

/**
 * Kiro answers a lone 402 now and then while credits are left: getUsageLimits, asked inside the request, says
 * whether the account is really out (once per request; undefined when it could not be read).
 */
async function confirmQuota(
  deps: TurnDeps,
  accountId: string,
  progress: TurnProgress,
): Promise<boolean | undefined> {
  if (progress.quotaChecked) return undefined;
  progress.quotaChecked = true;
  const quota = await deps.accounts.checkQuota(accountId);
  if (quota === undefined) return undefined;
  return quota.remaining > 0 || (quota.overageCapable && quota.overageEnabled);
}

async function moveOn(
  deps: TurnDeps,
  request: TurnRequest,
  lease: AccountLease,
  error: UpstreamError,
  decision: Extract<FailoverDecision, { action: 'retry' }>,
  progress: TurnProgress,
  attempt: number,
  signal: AbortSignal,
): Promise<AccountLease> {
  lease.release();
  deps.accounts.reportFailure(lease.accountId, error, decision.accountState, decision.checkQuota);
  const others = deps.accounts.hasOtherEligible(new Set([...progress.tried, lease.accountId]));
  if (!decision.sameAccountAllowed || others) progress.tried.add(lease.accountId);
  deps.logger.warn(
    { account: lease.accountId, attempt, kind: error.kind, delayMs: decision.delayMs },
    'retrying Kiro call',
  );
  if (decision.delayMs > 0) await deps.clock.sleep(decision.delayMs, signal);
  progress.refreshed = false;
  return deps.accounts.lease({ sessionKey: request.sessionKey, exclude: progress.tried, signal });
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
  planned: KiroTranslation,
  credential: KiroCredential,
  attempt: number,
  signal: AbortSignal,
  emit: (events: TurnEvent[]) => Promise<void>,
): Promise<void> {
  const translation = translationForHost(planned, credential);
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
  const ending = assembler.finish();
  const usage = ending.findLast((event) => event.type === 'end')?.usage;
  if (usage?.upstreamInputTokens !== undefined) {
    deps.calibration?.learn(translation.modelId, translation.inputTokenParts, usage.upstreamInputTokens);
  }
  await emit(ending);
}

function assemble(
  assembler: ReturnType<typeof createTurnAssembler>,
  batch: KiroEvent[],
): { output: TurnEvent[]; failure?: Error } {
  const output: TurnEvent[] = [];
  try {
    for (const event of batch) output.push(...assembler.push(event));
  } catch (failure) {
    return { output, failure: failure instanceof Error ? failure : new Error(errorMessage(failure)) };
  }
  return { output };
}

/** The runtime host refuses Kiro's native reasoning fields (docs/native-reasoning.md): it gets thinking as tags. */
function translationForHost(translation: KiroTranslation, credential: KiroCredential): KiroTranslation {
  return credential.chatHost === 'runtime' && translation.withThinkingTags
    ? translation.withThinkingTags()
    : translation;
}
