import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClaudeCodeSetupView, ClaudeCodeWriteResponse } from '../../../../shared/adminApi.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { useDashboard } from '../../state/DashboardProvider.tsx';
import { maskedSnippets } from './claudeCodeSnippets.ts';

type Setup =
  { kind: 'loading' } | { kind: 'ready'; setup: ClaudeCodeSetupView } | { kind: 'failed'; message: string };

/**
 * What Claude Code needs to use this proxy: lines to copy, and a button that writes its settings file (after a
 * confirmation naming the file; the core backs the old file up first). Read again when the key or address changes.
 */
export function ClaudeCodePanel({ keyPreview, address }: { keyPreview: string; address: string }) {
  const { t } = useTranslation('settings');
  const { client } = useDashboard();
  const [setup, setSetup] = useState<Setup>({ kind: 'loading' });

  const fetchSetup = useCallback(
    () =>
      client.claudeCodeSetup().then(
        (view): Setup => ({ kind: 'ready', setup: view }),
        (failure: Error): Setup => ({ kind: 'failed', message: failure.message }),
      ),
    [client],
  );
  const reload = useCallback(async () => setSetup(await fetchSetup()), [fetchSetup]);

  useEffect(() => {
    let current = true;
    void fetchSetup().then((next) => current && setSetup(next));
    return () => {
      current = false;
    };
  }, [fetchSetup, keyPreview, address]);

  return (
    <section
      className="card settings-section"
      aria-labelledby="settings-claude-code"
      data-testid="claude-code-panel"
    >
      <h2 id="settings-claude-code">{t('claudeCode.title')}</h2>
      <p className="muted settings-explain">{t('claudeCode.explain')}</p>
      {setup.kind === 'loading' ? <p className="muted">{t('claudeCode.loading')}</p> : null}
      {setup.kind === 'failed' ? (
        <ErrorBanner>{t('claudeCode.unavailable', { message: setup.message })}</ErrorBanner>
      ) : null}
      {setup.kind === 'ready' ? (
        <ClaudeCodeSetup setup={setup.setup} keyPreview={keyPreview} onWritten={reload} />
      ) : null}
    </section>
  );
}

interface ClaudeCodeSetupProps {
  setup: ClaudeCodeSetupView;
  keyPreview: string;
  onWritten(): Promise<void>;
}

function ClaudeCodeSetup({ setup, keyPreview, onWritten }: ClaudeCodeSetupProps) {
  const { t } = useTranslation('settings');
  const shown = maskedSnippets(setup, keyPreview);
  return (
    <>
      <p
        className={`badge ${setup.configured ? 'badge-ok' : 'badge-warn'}`}
        data-testid="claude-code-status"
        data-configured={setup.configured}
      >
        {setup.configured ? t('claudeCode.configured') : t('claudeCode.notConfigured')}
      </p>
      <h3>{t('claudeCode.envTitle')}</h3>
      <pre data-testid="claude-code-env">{shown.envText}</pre>
      <CopyButton text={setup.envLines.join('\n')} label={t('claudeCode.copyEnv')} />
      <h3>
        {t('claudeCode.settingsTitle')} <code>{setup.settingsPath}</code>
      </h3>
      <pre data-testid="claude-code-settings-snippet">{shown.settingsText}</pre>
      <CopyButton text={setup.settingsSnippet} label={t('claudeCode.copySettings')} />
      <p className="muted settings-hint">{t('claudeCode.keyHidden')}</p>
      <WriteSettings setup={setup} onWritten={onWritten} />
    </>
  );
}

function WriteSettings({ setup, onWritten }: { setup: ClaudeCodeSetupView; onWritten(): Promise<void> }) {
  const { t } = useTranslation('settings');
  const { client } = useDashboard();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<ClaudeCodeWriteResponse>();
  const [error, setError] = useState<string>();
  const cancel = useCallback(() => setConfirming(false), []);

  const write = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setWritten(await client.writeClaudeCodeSettings());
      await onWritten();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <div className="claude-code-write">
      <button type="button" className="primary" onClick={() => setConfirming(true)}>
        {t('claudeCode.write')}
      </button>
      {written ? (
        <div className="settings-notice" role="status" data-testid="claude-code-written">
          <p>{t('claudeCode.written', { path: written.settingsPath })}</p>
          {written.backupPath ? <p>{t('claudeCode.backup', { path: written.backupPath })}</p> : null}
        </div>
      ) : null}
      {error ? <ErrorBanner>{error}</ErrorBanner> : null}
      {confirming ? (
        <ConfirmDialog
          title={t('claudeCode.confirmTitle')}
          confirmLabel={t('claudeCode.confirm')}
          busy={busy}
          onConfirm={() => void write()}
          onCancel={cancel}
        >
          <p>{t('claudeCode.confirmBody', { path: setup.settingsPath })}</p>
          <p>{setup.settingsFileExists ? t('claudeCode.confirmBackup') : t('claudeCode.confirmNew')}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
