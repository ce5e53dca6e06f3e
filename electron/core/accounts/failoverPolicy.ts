/**
 * What to do after an attempt failed before anything reached the client (docs/upstream/errors.md): refresh and
 * retry, park the account and move on, back off, or give up. Pure: time and randomness come in the context.
 */
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../kiro/retryPolicy.ts';
import type { UpstreamError } from '../kiro/upstreamError.ts';
import type { AccountState } from './accountModel.ts';

export type FailoverDecision =
  | { action: 'refresh_and_retry_same' }
  | {
      action: 'retry';
      accountState?: AccountState;
      sameAccountAllowed: boolean;
      delayMs: number;
      checkQuota: boolean;
    }
  | { action: 'fail' };

export interface FailoverContext {
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  maxAttempts: number;
  /** This account's token was already force-refreshed for this request. */
  alreadyRefreshed: boolean;
  /** The credential is a `ksk_` API key: nothing can refresh it, and a key Kiro refuses stays refused. */
  apiKey?: boolean;
  /** Some eligible account not yet tried. */
  otherAccountsAvailable: boolean;
  /** 429s this account got in a row before this one (0 for a first throttle), for the backoff. */
  consecutiveThrottles: number;
  /** Throttled attempts of this request so far, this one included. */
  throttledAttempts?: number;
  /** At most this many throttled attempts per request (default: no limit but maxAttempts). */
  maxThrottledAttempts?: number;
  /** After a quota error: what getUsageLimits said just now (true: credits left); undefined: not known. */
  quotaLeft?: boolean;
  now: number;
  /** [0,1) for jitter. */
  random: number;
}

/** An account whose token Kiro rejects even fresh from a refresh is left alone for this long. */
export const REJECTED_TOKEN_COOLDOWN_MS = 60_000;
/** Until getUsageLimits tells the real reset time, an exhausted account is parked for this long. */
export const PROVISIONAL_EXHAUSTION_MS = 60 * 60_000;
const THROTTLE_BACKOFF_BASE_MS = 1_000;
const THROTTLE_BACKOFF_CAP_MS = 60_000;
/** Waiting longer than this inside one request is worse than telling the client when to come back. */
const MAX_WAIT_IN_REQUEST_MS = DEFAULT_RETRY_POLICY.maxRetryAfterMs;

const FAIL: FailoverDecision = { action: 'fail' };

export function decideFailover(error: UpstreamError, context: FailoverContext): FailoverDecision {
  if (context.attempt >= context.maxAttempts) return FAIL;
  switch (error.kind) {
    case 'invalid_token':
      if (context.apiKey) return moveOn(refusedApiKey(error), false);
      return context.alreadyRefreshed
        ? afterRefreshedTokenRejected(context)
        : { action: 'refresh_and_retry_same' };
    case 'suspended':
      return moveOn({ kind: 'suspended', since: context.now, reason: error.message }, false);
    case 'quota_exhausted':
      return afterQuotaError(error, context);
    case 'rate_limited':
      return afterThrottle(error, context);
    case 'server_error':
    case 'network':
    case 'timeout':
    case 'stream_truncated':
    case 'stream_corrupt':
    case 'stream_exception':
      return afterTransientFailure(error, context);
    case 'invalid_request':
    case 'context_too_long':
    case 'refresh_rejected':
      return FAIL;
  }
}

/**
 * A lone 402 while getUsageLimits shows credits left is Kiro's glitch, not the end of the month: the same account
 * is asked again at once. Confirmed (the quota check has parked the account until its real reset) or not known:
 * move on.
 */
function afterQuotaError(error: UpstreamError, context: FailoverContext): FailoverDecision {
  if (context.quotaLeft === true) {
    return { action: 'retry', sameAccountAllowed: true, delayMs: 0, checkQuota: false };
  }
  if (context.quotaLeft === false) {
    return { action: 'retry', sameAccountAllowed: false, delayMs: 0, checkQuota: false };
  }
  return moveOn(
    {
      kind: 'exhausted',
      until: context.now + PROVISIONAL_EXHAUSTION_MS,
      reason: `Kiro reports the quota used up (${error.reason ?? error.message})`,
    },
    true,
  );
}

/**
 * The account cannot serve now: park it and try another. Also when no other account is left, so that the state
 * is recorded and the next acquire explains why nothing can serve.
 */
function moveOn(accountState: AccountState, checkQuota: boolean): FailoverDecision {
  return { action: 'retry', accountState, sameAccountAllowed: false, delayMs: 0, checkQuota };
}

/**
 * The same answer that rejects a key when it is added (a usage read with it): parked until the user replaces it,
 * rather than cooled down for a minute and tried again, over and over.
 */
function refusedApiKey(error: UpstreamError): AccountState {
  return {
    kind: 'needs_relogin',
    reason: `Kiro refuses this API key (${error.reason ?? error.message})`,
    howToFix: 'Add the account again with a valid ksk_ API key.',
  };
}

function afterRefreshedTokenRejected(context: FailoverContext): FailoverDecision {
  return moveOn(
    {
      kind: 'cooling_down',
      until: context.now + REJECTED_TOKEN_COOLDOWN_MS,
      reason: 'Kiro rejected the access token even right after a refresh',
    },
    false,
  );
}

function afterThrottle(error: UpstreamError, context: FailoverContext): FailoverDecision {
  const cooldownMs = error.retryAfterMs ?? throttleBackoffMs(context.consecutiveThrottles, context.random);
  const accountState: AccountState = {
    kind: 'cooling_down',
    until: context.now + cooldownMs,
    reason: `Kiro throttled this account (${error.reason ?? error.message})`,
  };
  if (context.otherAccountsAvailable) return moveOn(accountState, false);
  if ((context.throttledAttempts ?? 0) >= (context.maxThrottledAttempts ?? Number.POSITIVE_INFINITY))
    return FAIL;
  if (cooldownMs > MAX_WAIT_IN_REQUEST_MS) return FAIL;
  // The only account stays usable: later requests wait for its pace rather than fail at once.
  return { action: 'retry', sameAccountAllowed: true, delayMs: cooldownMs, checkQuota: false };
}

/** 1 s·2^n capped at 60 s, plus up to 25 % so that accounts throttled together do not come back together. */
function throttleBackoffMs(consecutiveThrottles: number, random: number): number {
  const backoff = Math.min(THROTTLE_BACKOFF_CAP_MS, THROTTLE_BACKOFF_BASE_MS * 2 ** consecutiveThrottles);
  return Math.round(backoff * (1 + 0.25 * random));
}

/** Worth another try as is, preferably elsewhere; the account keeps its state. */
function afterTransientFailure(error: UpstreamError, context: FailoverContext): FailoverDecision {
  const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: context.maxAttempts };
  const delayMs = retryDelayMs(
    context.attempt,
    { retryable: true, retryAfterMs: error.retryAfterMs },
    policy,
    context.random,
  );
  if (delayMs !== null) return { action: 'retry', sameAccountAllowed: true, delayMs, checkQuota: false };
  // A Retry-After too long to wait out here: another account may still serve at once.
  if (context.otherAccountsAvailable)
    return { action: 'retry', sameAccountAllowed: false, delayMs: 0, checkQuota: false };
  return FAIL;
}
