import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminClient } from './api/adminClient.ts';
import { ErrorBanner } from './components/ErrorBanner.tsx';

/** Shown when there is no session: the printed link failed, was used already, or the proxy restarted. */
export function SignIn({
  client,
  expired,
  onSignedIn,
}: {
  client: AdminClient;
  expired: boolean;
  onSignedIn(token: string): void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const { token } = await client.signIn(code.trim());
      onSignedIn(token);
    } catch (failure) {
      setError(t('signIn.failed', { message: (failure as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form className="card" onSubmit={(event) => void submit(event)}>
        <h1>{t('signIn.title')}</h1>
        {expired ? <p className="muted">{t('signIn.expired')}</p> : null}
        <p>{t('signIn.explain')}</p>
        <label>
          {t('signIn.tokenLabel')}
          <input
            type="password"
            autoComplete="off"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            required
          />
        </label>
        {error ? <ErrorBanner>{error}</ErrorBanner> : null}
        <button type="submit" className="primary" disabled={busy || code.trim() === ''}>
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
