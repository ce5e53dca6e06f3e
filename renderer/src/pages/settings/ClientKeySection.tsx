import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { useDashboard } from '../../state/DashboardProvider.tsx';

/**
 * The key clients use. Only a preview is shown until the user asks: the full key is fetched on demand and
 * never kept beyond this page.
 */
export function ClientKeySection({ preview }: { preview: string }) {
  const { t } = useTranslation('settings');
  const { client, dispatch } = useDashboard();
  const [revealed, setRevealed] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [regenerated, setRegenerated] = useState(false);

  const cancel = useCallback(() => setConfirming(false), []);
  const fullKey = async () => revealed ?? (await client.revealClientKey()).key;

  const reveal = async () => {
    setError(undefined);
    try {
      setRevealed(await fullKey());
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  const regenerate = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { key } = await client.regenerateClientKey();
      setRevealed(key);
      setRegenerated(true);
      // The preview (and the Claude Code lines, which follow it) change with the key.
      const settings = await client.settings().catch(() => undefined);
      if (settings) dispatch({ type: 'event', event: { type: 'settings', settings } });
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <section
      className="card settings-section"
      aria-labelledby="settings-client-key"
      data-testid="settings-client-key"
    >
      <h2 id="settings-client-key">{t('clientKey.title')}</h2>
      <p className="muted settings-explain">{t('clientKey.explain')}</p>
      <div className="client-key-row">
        <span className="muted">{t('clientKey.preview')}</span>
        <code data-testid="client-key" data-revealed={revealed !== undefined}>
          {revealed ?? preview}
        </code>
      </div>
      <div className="settings-actions">
        {revealed === undefined ? (
          <button type="button" className="secondary" onClick={() => void reveal()}>
            {t('clientKey.reveal')}
          </button>
        ) : (
          <button type="button" className="secondary" onClick={() => setRevealed(undefined)}>
            {t('clientKey.hide')}
          </button>
        )}
        <CopyButton text={fullKey} label={t('clientKey.copy')} />
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          {t('clientKey.regenerate')}
        </button>
      </div>
      {regenerated && !error ? (
        <p className="settings-notice" role="status">
          {t('clientKey.regenerated')}
        </p>
      ) : null}
      {error ? <ErrorBanner>{error}</ErrorBanner> : null}
      {confirming ? (
        <ConfirmDialog
          title={t('clientKey.confirmTitle')}
          confirmLabel={t('clientKey.confirm')}
          danger
          busy={busy}
          onConfirm={() => void regenerate()}
          onCancel={cancel}
        >
          <p>{t('clientKey.confirmBody')}</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
