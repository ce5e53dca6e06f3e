/**
 * Sign-ins in progress for the dashboard and the tray: each runs in the background, is followed by id, can be
 * finished (social: the pasted redirect address) or cancelled, and ends by itself when its code or wait runs out.
 * A few finished ones are kept so a page that polls late still learns how they ended.
 */
import { randomBytes } from 'node:crypto';
import type { SignInSessionView, StartSignInRequest } from '../../../shared/signInApi.ts';
import type { Logger } from '../ports.ts';
import { signIn, type SignInDeps } from './signIn.ts';
import { SignInError } from './signInError.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

const MAX_RUNNING = 4;
const MAX_KEPT = 20;

export interface SignInSessions {
  /** Resolves once the code or the login page is known; rejects (SignInError) when it cannot start. */
  start(request: StartSignInRequest): Promise<SignInSessionView>;
  get(id: string): SignInSessionView | undefined;
  /** Social: finishes with the redirect address; throws a SignInError naming what is wrong with it. */
  complete(id: string, redirectedUrl: string): void;
  cancel(id: string): SignInSessionView | undefined;
  dispose(): void;
}

interface Session {
  view: SignInSessionView;
  abort: AbortController;
  complete?: (url: string) => void;
}

export function createSignInSessions(options: {
  deps: SignInDeps;
  logger: Logger;
  /** Told of each account added or renewed, so the pool takes it at once. */
  onSignedIn(accountId: string): Promise<void>;
}): SignInSessions {
  const sessions = new Map<string, Session>();
  const methodOf = (request: StartSignInRequest) =>
    request.method ?? options.deps.repository.get(request.accountId ?? '')?.signIn?.method ?? 'builder-id';
  const running = () => [...sessions.values()].filter((s) => s.view.state === 'waiting').length;

  function forgetOldest(): void {
    const finished = [...sessions.entries()].filter(([, s]) => s.view.state !== 'waiting');
    for (const [id] of finished.slice(0, Math.max(0, sessions.size - MAX_KEPT))) sessions.delete(id);
  }

  function start(request: StartSignInRequest): Promise<SignInSessionView> {
    if (running() >= MAX_RUNNING)
      return Promise.reject(
        new SignInError('failed', 'Too many sign-ins are waiting; finish or cancel one first.'),
      );
    const id = `si_${randomBytes(8).toString('hex')}`;
    const session: Session = {
      view: { id, method: methodOf(request), state: 'waiting' },
      abort: new AbortController(),
    };
    return new Promise((resolve, reject) => {
      const shown = () => {
        sessions.set(id, session);
        forgetOldest();
        resolve({ ...session.view });
      };
      const flow = signIn(options.deps, request, {
        signal: session.abort.signal,
        onDevicePrompt: (prompt) => {
          session.view = { ...session.view, ...prompt };
          shown();
        },
        onSocialPrompt: (prompt) => {
          session.view = { ...session.view, loginUrl: prompt.loginUrl, redirectUri: prompt.redirectUri };
          session.complete = prompt.complete;
          shown();
        },
      });
      flow.then(
        async ({ account, renewed }) => {
          session.view = { ...session.view, state: 'succeeded', accountId: account.id, renewed };
          await options
            .onSignedIn(account.id)
            .catch((error: unknown) =>
              options.logger.warn(
                { account: account.id, error: errorMessage(error) },
                'reload after sign-in failed',
              ),
            );
          options.logger.info({ account: account.id, method: session.view.method, renewed }, 'signed in');
        },
        (error: unknown) => {
          if (session.view.state !== 'waiting') return;
          const failure = error instanceof SignInError ? error.failure : 'failed';
          const message = errorMessage(error);
          session.view = {
            ...session.view,
            state: failure === 'cancelled' ? 'cancelled' : 'failed',
            failure,
            message,
          };
          if (!sessions.has(id))
            reject(error instanceof SignInError ? error : new SignInError('failed', message));
        },
      );
    });
  }

  return {
    start,
    get: (id) => {
      const view = sessions.get(id)?.view;
      return view && { ...view };
    },
    complete(id, redirectedUrl) {
      const session = sessions.get(id);
      if (!session?.complete || session.view.state !== 'waiting')
        throw new SignInError('failed', 'This sign-in is not waiting for a redirect address.');
      session.complete(redirectedUrl);
    },
    cancel(id) {
      const session = sessions.get(id);
      if (!session) return undefined;
      session.abort.abort();
      if (session.view.state === 'waiting')
        session.view = {
          ...session.view,
          state: 'cancelled',
          failure: 'cancelled',
          message: 'Sign-in cancelled; no account was added.',
        };
      return { ...session.view };
    },
    dispose() {
      for (const session of sessions.values()) session.abort.abort();
    },
  };
}
