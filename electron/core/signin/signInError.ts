/** Why a sign-in ended without an account; `message` says what happened and what to do. */
export type SignInFailure = 'denied' | 'expired' | 'cancelled' | 'failed';

export class SignInError extends Error {
  readonly failure: SignInFailure;

  constructor(failure: SignInFailure, message: string) {
    super(message);
    this.name = 'SignInError';
    this.failure = failure;
  }
}

export function cancelledError(): SignInError {
  return new SignInError('cancelled', 'Sign-in cancelled; no account was added.');
}
