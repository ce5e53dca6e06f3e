import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  ClaudeCodeEnvChange,
  ClaudeCodeSetupView,
  ClaudeCodeWriteResponse,
} from '../../../../shared/adminApi.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useDashboard } from '../../state/DashboardProvider.tsx';
import { maskedSnippets } from './claudeCodeSnippets.ts';
import { SettingsCard } from './SettingsSection.tsx';
import { useConfirmedAction } from './useConfirmedAction.ts';

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
    <SettingsCard title={t('claudeCode.title')} explain={t('claudeCode.explain')} testId="claude-code-panel">
      {setup.kind === 'loading' ? <Loading>{t('claudeCode.loading')}</Loading> : null}
      {setup.kind === 'failed' ? (
        <ErrorBanner>{t('claudeCode.unavailable', { message: setup.message })}</ErrorBanner>
      ) : null}
      {setup.kind === 'ready' ? (
        <ClaudeCodeSetup setup={setup.setup} keyPreview={keyPreview} onWritten={reload} />
      ) : null}
    </SettingsCard>
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
        data-stale={setup.staleKey === true}
      >
        {setup.configured
          ? t('claudeCode.configured')
          : setup.staleKey
            ? t('claudeCode.staleKey', { path: setup.settingsPath })
            : t('claudeCode.notConfigured')}
      </p>
      <h3>{t('claudeCode.envTitle')}</h3>
      <pre data-testid="claude-code-env" tabIndex={0}>
        {shown.envText}
      </pre>
      <CopyButton text={setup.envLines.join('\n')} label={t('claudeCode.copyEnv')} />
      <h3>
        {t('claudeCode.settingsTitle')} <code>{setup.settingsPath}</code>
      </h3>
      <pre data-testid="claude-code-settings-snippet" tabIndex={0}>
        {shown.settingsText}
      </pre>
      <CopyButton text={setup.settingsSnippet} label={t('claudeCode.copySettings')} />
      <p className="muted settings-hint">{t('claudeCode.keyHidden')}</p>
      <WriteSettings setup={setup} onWritten={onWritten} />
    </>
  );
}

function WriteSettings({ setup, onWritten }: { setup: ClaudeCodeSetupView; onWritten(): Promise<void> }) {
  const { t } = useTranslation('settings');
  const { client } = useDashboard();
  const [written, setWritten] = useState<ClaudeCodeWriteResponse>();
  const writing = useConfirmedAction(async () => {
    setWritten(await client.writeClaudeCodeSettings());
    await onWritten();
  });

  return (
    <div className="claude-code-write">
      <button type="button" className="primary" onClick={writing.ask}>
        {setup.staleKey ? t('claudeCode.rewrite') : t('claudeCode.write')}
      </button>
      {written ? (
        <div className="settings-notice" role="status" data-testid="claude-code-written">
          <p>{t('claudeCode.written', { path: written.settingsPath })}</p>
          {written.backupPath ? <p>{t('claudeCode.backup', { path: written.backupPath })}</p> : null}
        </div>
      ) : null}
      {writing.error ? <ErrorBanner>{writing.error}</ErrorBanner> : null}
      {writing.confirming ? (
        <ConfirmDialog
          title={t('claudeCode.confirmTitle')}
          confirmLabel={t('claudeCode.confirm')}
          busy={writing.busy}
          onConfirm={() => void writing.confirm()}
          onCancel={writing.cancel}
        >
          <p>{t('claudeCode.confirmBody', { path: setup.settingsPath })}</p>
          <EnvChanges changes={setup.replaces} />
          <p>{setup.settingsFileExists ? t('claudeCode.confirmBackup') : t('claudeCode.confirmNew')}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

/** What the write replaces or removes in the file's env, so no value the user set disappears unannounced. */
function EnvChanges({ changes }: { changes: ClaudeCodeEnvChange[] | undefined }) {
  const { t } = useTranslation('settings');
  if (!changes?.length) return null;
  return (
    <>
      <p>{t('claudeCode.replacesTitle')}</p>
      <ul data-testid="claude-code-replaces">
        {changes.map((change) => (
          <li key={change.name}>
            <code>{change.name}</code>{' '}
            {change.change === 'removed'
              ? t('claudeCode.removes', { current: change.current })
              : t('claudeCode.replaces', { current: change.current })}
          </li>
        ))}
      </ul>
    </>
  );
}
