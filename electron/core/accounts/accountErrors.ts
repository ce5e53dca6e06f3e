import type { AccountState, AccountStateKind } from './accountModel.ts';

/** How many accounts are in each state; `none` is 1 when no account is configured at all, else 0. */
export type AccountStateCounts = Record<AccountStateKind | 'none', number>;

/** Nothing can serve the request right now; the message says why, in words a user can act on. */
export class NoAccountAvailableError extends Error {
  /** When the earliest cooldown or quota window ends, if any account is only waiting for time to pass. */
  readonly retryAfterMs?: number;
  readonly states: AccountStateCounts;

  constructor(message: string, states: AccountStateCounts, retryAfterMs?: number) {
    super(message);
    this.name = 'NoAccountAvailableError';
    this.states = states;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }

  /**
   * Explains why none of the accounts in `states` (every configured account, in its current state) can serve.
   * Accounts still active were already tried for this request.
   */
  static fromStates(states: readonly AccountState[], now: number): NoAccountAvailableError {
    const counts = countStates(states);
    if (states.length === 0) {
      return new NoAccountAvailableError(
        'No Kiro account is configured: sign in to Kiro IDE, or add an account in Kiro Dock.',
        counts,
      );
    }
    const untils = states.flatMap((state) => ('until' in state ? [state.until] : []));
    const retryAfterMs = untils.length > 0 ? Math.max(0, Math.min(...untils) - now) : undefined;
    const reasons = describeStates(states, now).join(', ');
    return new NoAccountAvailableError(
      `No Kiro account can serve this request: ${reasons}.`,
      counts,
      retryAfterMs,
    );
  }
}

/** What a saturated client is told to wait: capacity frees up as soon as any request ends. */
const SATURATED_RETRY_AFTER_MS = 1_000;

const atLimit = (maxConcurrent: number) =>
  `Every usable Kiro account is at its limit of ${maxConcurrent} concurrent requests`;

/** Every eligible account is at its concurrency limit and the request could not wait any longer. */
export class PoolSaturatedError extends Error {
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number = SATURATED_RETRY_AFTER_MS) {
    super(message);
    this.name = 'PoolSaturatedError';
    this.retryAfterMs = retryAfterMs;
  }

  static queueFull(maxConcurrent: number, maxQueue: number): PoolSaturatedError {
    const waiting = `${maxQueue} waiting ${maxQueue === 1 ? 'request' : 'requests'}`;
    return new PoolSaturatedError(`${atLimit(maxConcurrent)}, and the queue (${waiting}) is full.`);
  }

  static timedOut(maxConcurrent: number, waitedMs: number): PoolSaturatedError {
    return new PoolSaturatedError(`${atLimit(maxConcurrent)}, and stayed so for ${waitedMs / 1000} s.`);
  }
}

export class AccountNotFoundError extends Error {
  readonly accountId: string;

  constructor(accountId: string) {
    super(`No Kiro account has the id ${accountId}.`);
    this.name = 'AccountNotFoundError';
    this.accountId = accountId;
  }
}

function countStates(states: readonly AccountState[]): AccountStateCounts {
  const counts: AccountStateCounts = {
    none: states.length === 0 ? 1 : 0,
    active: 0,
    cooling_down: 0,
    exhausted: 0,
    needs_relogin: 0,
    suspended: 0,
    disabled: 0,
  };
  for (const state of states) counts[state.kind] += 1;
  return counts;
}

/** One phrase per state present, most transient first, e.g. "2 exhausted until 2026-12-01 00:00 UTC". */
function describeStates(states: readonly AccountState[], now: number): string[] {
  const of = <K extends AccountStateKind>(kind: K) =>
    states.filter((state): state is Extract<AccountState, { kind: K }> => state.kind === kind);
  const timedPhrase = (label: string, timed: ReadonlyArray<{ until: number }>) =>
    `${label} ${untilPhrase(Math.min(...timed.map((state) => state.until)), now)}`;
  const reloginPhrase = (relogin: ReadonlyArray<{ howToFix: string }>) => {
    const fixes = new Set(relogin.map((state) => state.howToFix.replace(/\.$/, '')));
    return `${relogin.length === 1 ? 'needs' : 'need'} re-login (${[...fixes].join('; ')})`;
  };
  const phrases: Array<[count: number, phrase: () => string]> = [
    [of('active').length, () => 'already failed for this request'],
    [of('cooling_down').length, () => timedPhrase('cooling down', of('cooling_down'))],
    [of('exhausted').length, () => timedPhrase('exhausted', of('exhausted'))],
    [of('needs_relogin').length, () => reloginPhrase(of('needs_relogin'))],
    [of('suspended').length, () => 'suspended by Kiro'],
    [of('disabled').length, () => 'disabled in Kiro Dock'],
  ];
  return phrases.filter(([count]) => count > 0).map(([count, phrase]) => `${count} ${phrase()}`);
}

/** Short waits in seconds or minutes; long ones as a UTC date, which is what a monthly reset looks like. */
function untilPhrase(until: number, now: number): string {
  const waitMs = Math.max(0, until - now);
  if (waitMs < 90_000) return `for ${Math.ceil(waitMs / 1000)} s`;
  if (waitMs < 3_600_000) return `for ${Math.ceil(waitMs / 60_000)} min`;
  return `until ${new Date(until).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
