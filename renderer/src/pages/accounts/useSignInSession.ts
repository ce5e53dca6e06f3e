/**
 * One sign-in from the dashboard: start it, follow it once a second while it waits (the admin API keeps it
 * running in Kiro Dock, so closing the dialog cancels it), finish a social one, cancel it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SignInSessionView, StartSignInRequest } from '../../../../shared/signInApi.ts';
import { useDashboard } from '../../state/DashboardProvider.tsx';

const FOLLOW_INTERVAL_MS = 1000;

export interface SignInSession {
  session?: SignInSessionView;
  starting: boolean;
  error?: string;
  start(request: StartSignInRequest): Promise<void>;
  complete(redirectedUrl: string): Promise<void>;
  cancel(): Promise<void>;
}

export function useSignInSession(): SignInSession {
  const { client, dispatch } = useDashboard();
  const [session, setSession] = useState<SignInSessionView>();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();
  const current = useRef<SignInSessionView>(undefined);
  useEffect(() => {
    current.current = session;
  }, [session]);

  const waitingId = session?.state === 'waiting' ? session.id : undefined;
  useEffect(() => {
    if (!waitingId) return;
    const timer = setInterval(() => {
      client.signInSession(waitingId).then(setSession, (failure: Error) => setError(failure.message));
    }, FOLLOW_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [client, waitingId]);

  const accountId = session?.state === 'succeeded' ? session.accountId : undefined;
  useEffect(() => {
    if (!accountId) return;
    client.listAccounts().then(
      ({ accounts }) => {
        const account = accounts.find((candidate) => candidate.id === accountId);
        if (account) dispatch({ type: 'account_changed', account });
      },
      () => {},
    );
  }, [accountId, client, dispatch]);

  // Closing the dialog while a sign-in waits ends it: nothing should keep polling AWS for a closed dialog.
  useEffect(
    () => () => {
      const open = current.current;
      if (open?.state === 'waiting') void client.cancelSignIn(open.id).catch(() => {});
    },
    [client],
  );

  const start = useCallback(
    async (request: StartSignInRequest) => {
      setStarting(true);
      setError(undefined);
      try {
        setSession(await client.startSignIn(request));
      } catch (failure) {
        setError((failure as Error).message);
      } finally {
        setStarting(false);
      }
    },
    [client],
  );

  return {
    session,
    starting,
    error,
    start,
    async complete(redirectedUrl) {
      if (!session) return;
      setError(undefined);
      try {
        setSession(await client.completeSignIn(session.id, redirectedUrl));
      } catch (failure) {
        setError((failure as Error).message);
      }
    },
    async cancel() {
      if (session?.state === 'waiting') setSession(await client.cancelSignIn(session.id));
    },
  };
}
