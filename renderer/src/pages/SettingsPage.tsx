import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../components/EmptyState.tsx';
import { Loading } from '../components/Loading.tsx';
import { useDashboard } from '../state/DashboardProvider.tsx';
import { BehaviourSection } from './settings/BehaviourSection.tsx';
import { ClaudeCodePanel } from './settings/ClaudeCodePanel.tsx';
import { ClientKeySection } from './settings/ClientKeySection.tsx';
import { CodexPanel } from './settings/CodexPanel.tsx';
import { DashboardSection } from './settings/DashboardSection.tsx';
import { ListenSection } from './settings/ListenSection.tsx';
import { ResponseCacheSection } from './settings/ResponseCacheSection.tsx';
import { TimeoutsSection } from './settings/TimeoutsSection.tsx';
import './settings/settings.css';

/** Every setting of the proxy, one card per group, and the Claude Code and Codex setups. */
export function SettingsPage() {
  const { t } = useTranslation('settings');
  const { state } = useDashboard();
  const settings = state.settings;
  if (!settings) return <SettingsNotLoaded />;
  const address = settings.listening ?? settings.listen;
  return (
    <>
      <h1>{t('title')}</h1>
      <div className="settings-grid">
        <ListenSection settings={settings} />
        <ClientKeySection preview={settings.clientKeyPreview} />
        <BehaviourSection settings={settings} />
        <TimeoutsSection settings={settings} />
        <ResponseCacheSection settings={settings} />
        <DashboardSection />
      </div>
      <ClaudeCodePanel keyPreview={settings.clientKeyPreview} address={`${address.host}:${address.port}`} />
      <CodexPanel keyPreview={settings.clientKeyPreview} address={`${address.host}:${address.port}`} />
    </>
  );
}

/** Settings arrive with the dashboard's first load; when they did not, ask once more and say what failed. */
function SettingsNotLoaded() {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const { client, dispatch } = useDashboard();
  const [failure, setFailure] = useState<string>();

  const load = useCallback(
    () =>
      client.settings().then(
        (settings) => dispatch({ type: 'settings_loaded', settings }),
        (error: Error) => setFailure(error.message),
      ),
    [client, dispatch],
  );

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <h1>{t('title')}</h1>
      {failure === undefined ? (
        <Loading>{t('loading')}</Loading>
      ) : (
        <EmptyState
          title={t('notLoaded.title')}
          action={
            <button
              type="button"
              className="primary"
              onClick={() => {
                setFailure(undefined);
                void load();
              }}
            >
              {tc('actions.retry')}
            </button>
          }
        >
          <p>{t('notLoaded.body')}</p>
          <p>{failure}</p>
        </EmptyState>
      )}
    </>
  );
}
