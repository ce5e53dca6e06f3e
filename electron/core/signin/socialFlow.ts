/**
 * Google / GitHub sign-in through Kiro's auth service with PKCE (S256) and a checked `state` (docs/sign-in.md).
 * The browser comes back to a redirect URL: Kiro's own `kiro://…/authenticate-success` by default, which only the
 * Kiro IDE handles, so the user pastes the address the browser ended on and `complete()` finishes; a host that
 * listens on a loopback callback passes its `redirectUri` and calls `complete()` itself. The wait is bounded and
 * ends at once when the signal aborts.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../ports.ts';
import { cancelledError, SignInError } from './signInError.ts';
import { callJson, numberField, stringField } from './signInHttp.ts';
import type { SignInEndpoints } from './signInEndpoints.ts';

export const KIRO_REDIRECT_URI = 'kiro://kiro.kiroAgent/authenticate-success';
const WAIT_LIMIT_MS = 10 * 60_000;

export interface SocialPrompt {
  /** Open this in the browser. */
  loginUrl: string;
  redirectUri: string;
  /** The URL the browser was sent back to (`…?code=…&state=…`); a wrong or foreign one is refused. */
  complete(redirectedUrl: string): void;
}

export interface SocialTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  profileArn?: string;
}

interface SocialSignInOptions {
  provider: 'google' | 'github';
  redirectUri?: string;
  signal?: AbortSignal;
  onPrompt(prompt: SocialPrompt): void;
}

export async function runSocialSignIn(
  deps: { clock: Clock; endpoints: SignInEndpoints },
  options: SocialSignInOptions,
): Promise<SocialTokens> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(24).toString('base64url');
  const redirectUri = options.redirectUri ?? KIRO_REDIRECT_URI;
  const loginUrl = new URL(`${deps.endpoints.socialAuthBase}/login`);
  loginUrl.search = new URLSearchParams({
    idp: options.provider === 'google' ? 'Google' : 'Github',
    redirect_uri: redirectUri,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
  }).toString();
  const code = await waitForCode(deps.clock, state, options.signal, (complete) =>
    options.onPrompt({ loginUrl: loginUrl.toString(), redirectUri, complete }),
  );
  const answer = await callJson(`${deps.endpoints.socialAuthBase}/oauth/token`, {
    body: { code, code_verifier: verifier, redirect_uri: redirectUri },
    signal: options.signal,
  });
  const accessToken = stringField(answer.body, 'accessToken');
  const refreshToken = stringField(answer.body, 'refreshToken');
  if (answer.status !== 200 || !accessToken || !refreshToken) {
    const detail =
      stringField(answer.body, 'message') ?? stringField(answer.body, 'error') ?? `HTTP ${answer.status}`;
    throw new SignInError('failed', `Kiro refused the sign-in code: ${detail}. Sign in again.`);
  }
  const expiresIn = Math.min(86_400, Math.max(60, numberField(answer.body, 'expiresIn') ?? 3600));
  return {
    accessToken,
    refreshToken,
    expiresAt: deps.clock.now() + expiresIn * 1000,
    profileArn: stringField(answer.body, 'profileArn'),
  };
}

/** Resolves with the code of the first redirect URL handed to `complete` that carries our state. */
function waitForCode(
  clock: Clock,
  state: string,
  signal: AbortSignal | undefined,
  prompt: (complete: (url: string) => void) => void,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const finish = (outcome: () => void) => {
      timer.cancel();
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = () => finish(() => reject(cancelledError()));
    const timer = clock.setTimer(
      () =>
        finish(() =>
          reject(
            new SignInError('expired', 'The sign-in was not finished within 10 minutes; sign in again.'),
          ),
        ),
      WAIT_LIMIT_MS,
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    prompt((redirectedUrl) => {
      const params = parseRedirect(redirectedUrl);
      if (params.get('state') !== state)
        throw new SignInError(
          'failed',
          'That address does not belong to this sign-in (its state differs); paste the address the browser ended on.',
        );
      const error = params.get('error');
      if (error)
        return finish(() =>
          reject(new SignInError('denied', `The sign-in was refused: ${error}. Sign in again.`)),
        );
      const code = params.get('code');
      if (!code)
        throw new SignInError('failed', 'That address carries no sign-in code; paste the whole address.');
      finish(() => resolve(code));
    });
  });
}

function parseRedirect(text: string): URLSearchParams {
  try {
    return new URL(text.trim()).searchParams;
  } catch {
    throw new SignInError('failed', 'That is not a URL; paste the whole address the browser ended on.');
  }
}
