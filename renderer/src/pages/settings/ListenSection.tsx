import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/adminApi.ts';
import { SettingsSection, TextField } from './SettingsSection.tsx';
import { isLoopbackHost, parseDecimal } from './settingsForm.ts';
import { useSettingsForm } from './useSettingsForm.ts';

/** Host and port; a change applies when the proxy next starts, which the section says. */
export function ListenSection({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation('settings');
  const { draft, setDraft, saving, section, field } = useSettingsForm({
    host: settings.listen.host,
    port: String(settings.listen.port),
  });

  const save = () => {
    const port = parseDecimal(draft.port);
    if (port === undefined) return saving.fail(`listen.port: ${t('cache.notANumber')}`);
    const listen: { host?: string; port?: number } = {};
    if (draft.host.trim() !== settings.listen.host) listen.host = draft.host.trim();
    if (port !== settings.listen.port) listen.port = port;
    void saving.save({ listen });
  };

  return (
    <SettingsSection
      title={t('listen.title')}
      explain={t('listen.explain')}
      testId="settings-listen"
      {...section}
      onSave={save}
      notice={<ListenNotices settings={settings} host={draft.host} restart={saving.restartRequired} />}
    >
      <TextField
        label={t('listen.host')}
        value={draft.host}
        onChange={(host) => setDraft({ host })}
        {...field('listen.host', 'listen')}
      />
      <TextField
        label={t('listen.port')}
        type="number"
        min={1}
        value={draft.port}
        onChange={(port) => setDraft({ port })}
        {...field('listen.port', 'listen')}
      />
    </SettingsSection>
  );
}

interface ListenNoticesProps {
  settings: SettingsView;
  host: string;
  restart: string[];
}

function ListenNotices({ settings, host, restart }: ListenNoticesProps) {
  const { t } = useTranslation('settings');
  const now = settings.listening;
  const next = settings.listen;
  const pending = now !== undefined && (now.host !== next.host || now.port !== next.port);
  return (
    <>
      {host.trim() !== '' && !isLoopbackHost(host) ? (
        <p className="settings-warning" data-testid="listen-exposed-warning">
          {t('listen.exposed', { host: host.trim() })}
        </p>
      ) : null}
      {pending || restart.includes('listen') ? (
        <p className="settings-notice" role="status" data-testid="listen-restart-notice">
          {t('listen.restart', {
            now: now ? `${now.host}:${now.port}` : '—',
            next: `${next.host}:${next.port}`,
          })}
        </p>
      ) : null}
    </>
  );
}
