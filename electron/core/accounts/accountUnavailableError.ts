export type AccountProblemKind = 'no_account' | 'needs_relogin' | 'refresh_failed';

/** An account cannot be used until the user acts (sign in again) or a transient refresh failure passes. */
export class AccountUnavailableError extends Error {
  readonly problem: AccountProblemKind;
  constructor(problem: AccountProblemKind, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'AccountUnavailableError';
    this.problem = problem;
  }
}
