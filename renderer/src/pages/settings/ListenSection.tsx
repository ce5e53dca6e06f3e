import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../../shared/adminApi.ts';
import { SettingsSection, TextField } from './SettingsSection.tsx';
import { isLoopbackHost, parseDecimal, portProblem } from './settingsForm.ts';
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
    const problem = portProblem(port);
    if (port === undefined || problem) {
      return saving.fail(
        `listen.port: ${t(`listen.portProblems.${problem ?? 'notANumber'}`, { port: draft.port.trim() })}`,
      );
    }
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
  const overridden = [...new Set(overriddenParts(settings, t('listen.environment')))];
  return (
    <>
      {now ? <EffectiveAddress settings={settings} /> : null}
      {host.trim() !== '' && !isLoopbackHost(host) ? (
        <p className="settings-warning" data-testid="listen-exposed-warning">
          {t('listen.exposed', { host: host.trim() })}
        </p>
      ) : null}
      {pending || restart.includes('listen') ? (
        <p className="settings-notice" role="status" data-testid="listen-restart-notice">
          {overridden.length > 0
            ? t('listen.restartWithoutOverride', {
                next: `${next.host}:${next.port}`,
                overrides: overridden.join(', '),
              })
            : t('listen.restart', {
                now: now ? `${now.host}:${now.port}` : '—',
                next: `${next.host}:${next.port}`,
              })}
        </p>
      ) : null}
    </>
  );
}

/** The flags that chose the running address over the saved one (`--port`, `--host`), or the environment. */
function overriddenParts(settings: SettingsView, environment: string): string[] {
  const from = settings.listeningFrom;
  if (!from) return [];
  return (['host', 'port'] as const)
    .filter((part) => from[part] === 'flag' || from[part] === 'env')
    .map((part) => (from[part] === 'flag' ? `--${part}` : environment));
}

/** Where the proxy listens now and where the port came from: a flag wins over the saved setting. */
function EffectiveAddress({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation('settings');
  const now = settings.listening!;
  const origin = settings.listeningFrom?.port;
  return (
    <p className="muted" data-testid="listen-effective" data-origin={origin}>
      {t('listen.effective', { address: `http://${now.host}:${now.port}` })}{' '}
      {origin ? t(`listen.origin.${origin}`) : null}
    </p>
  );
}
