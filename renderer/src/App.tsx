import { useCallback, useEffect, useMemo, useState } from 'react';
import { createAdminClient } from './api/adminClient.ts';
import { storeSessionToken, storedSessionToken } from './api/session.ts';
import { pageFromHash, type Page } from './routes.ts';
import { Shell } from './Shell.tsx';
import { SignIn } from './SignIn.tsx';
import { DashboardProvider } from './state/DashboardProvider.tsx';

type Session =
  { kind: 'signing-in' } | { kind: 'signed-in'; token: string } | { kind: 'signed-out'; expired: boolean };

export interface AppProps {
  /** The one-time code the page was opened with (`#login=CODE`), already taken out of the URL. */
  loginCode?: string;
  fetch?: typeof window.fetch;
}

/** Sign-in first (a one-time code from the URL, a stored session, or the form), then the dashboard. */
export function App({ loginCode, fetch }: AppProps) {
  const [session, setSession] = useState<Session>(() => {
    // A fresh code wins over a stored session: it was just minted for this window.
    if (loginCode) return { kind: 'signing-in' };
    const stored = storedSessionToken();
    return stored ? { kind: 'signed-in', token: stored } : { kind: 'signed-out', expired: false };
  });
  const [page, setPage] = useState<Page>(() => pageFromHash(window.location.hash));
  const token = session.kind === 'signed-in' ? session.token : undefined;

  const onUnauthorized = useCallback(() => {
    storeSessionToken(undefined);
    setSession({ kind: 'signed-out', expired: true });
  }, []);
  const getToken = useCallback(() => token, [token]);
  const client = useMemo(
    () => createAdminClient({ token: getToken, onUnauthorized, fetch }),
    [getToken, onUnauthorized, fetch],
  );

  useEffect(() => {
    if (!loginCode) return;
    createAdminClient({ token: () => undefined, fetch })
      .signIn(loginCode)
      .then(({ token: next }) => {
        storeSessionToken(next);
        setSession({ kind: 'signed-in', token: next });
      })
      .catch(() => {
        const stored = storedSessionToken();
        setSession(stored ? { kind: 'signed-in', token: stored } : { kind: 'signed-out', expired: false });
      });
  }, [loginCode, fetch]);

  useEffect(() => {
    const onHash = () => setPage(pageFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  if (session.kind === 'signing-in') return null;
  if (session.kind === 'signed-out') {
    return (
      <SignIn
        client={client}
        expired={session.expired}
        onSignedIn={(next) => {
          storeSessionToken(next);
          setSession({ kind: 'signed-in', token: next });
        }}
      />
    );
  }
  return (
    <DashboardProvider client={client} token={getToken} onSignedOut={onUnauthorized} fetch={fetch}>
      <Shell page={page} />
    </DashboardProvider>
  );
}
