import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { useDashboard } from '../../state/DashboardProvider.tsx';
import { SettingsCard } from './SettingsSection.tsx';
import { useConfirmedAction } from './useConfirmedAction.ts';

/**
 * The key clients use. Only a preview is shown until the user asks: the full key is fetched on demand and
 * never kept beyond this page.
 */
export function ClientKeySection({ preview }: { preview: string }) {
  const { t } = useTranslation('settings');
  const { client, dispatch } = useDashboard();
  const [revealed, setRevealed] = useState<string>();
  const [regenerated, setRegenerated] = useState(false);
  const regeneration = useConfirmedAction(async () => {
    const { key } = await client.regenerateClientKey();
    setRevealed(key);
    setRegenerated(true);
    // The preview (and the Claude Code lines, which follow it) change with the key.
    const settings = await client.settings().catch(() => undefined);
    if (settings) dispatch({ type: 'event', event: { type: 'settings', settings } });
  });
  const { error, setError } = regeneration;

  const fullKey = async () => revealed ?? (await client.revealClientKey()).key;
  const reveal = async () => {
    setError(undefined);
    try {
      setRevealed(await fullKey());
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <SettingsCard title={t('clientKey.title')} explain={t('clientKey.explain')} testId="settings-client-key">
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
        <button type="button" className="secondary" onClick={regeneration.ask}>
          {t('clientKey.regenerate')}
        </button>
      </div>
      {regenerated && !error ? (
        <p className="settings-notice" role="status">
          {t('clientKey.regenerated')}
        </p>
      ) : null}
      {error ? <ErrorBanner>{error}</ErrorBanner> : null}
      {regeneration.confirming ? (
        <ConfirmDialog
          title={t('clientKey.confirmTitle')}
          confirmLabel={t('clientKey.confirm')}
          danger
          busy={regeneration.busy}
          onConfirm={() => void regeneration.confirm()}
          onCancel={regeneration.cancel}
        >
          <p>{t('clientKey.confirmBody')}</p>
        </ConfirmDialog>
      ) : null}
    </SettingsCard>
  );
}
