import { useTranslation } from 'react-i18next';
import { CopyButton } from '../../components/CopyButton.tsx';
import { useDashboard } from '../../state/DashboardProvider.tsx';
import { codexConfigToml, codexKeyLine } from './codexSnippets.ts';
import { SettingsCard } from './SettingsSection.tsx';

/**
 * What the Codex CLI needs to use this proxy. Nothing is written for it: its config.toml holds no secret, and the
 * key line is shown with the key's preview while the copy button fetches the full key only when pressed.
 */
export function CodexPanel({ keyPreview, address }: { keyPreview: string; address: string }) {
  const { t } = useTranslation('settings');
  const { client } = useDashboard();
  const config = codexConfigToml(address);
  const fullKeyLine = async () => codexKeyLine((await client.revealClientKey()).key);
  return (
    <SettingsCard title={t('codex.title')} explain={t('codex.explain')} testId="codex-panel">
      <h3>
        {t('codex.configTitle')} <code>~/.codex/config.toml</code>
      </h3>
      <pre data-testid="codex-config" tabIndex={0}>
        {config}
      </pre>
      <CopyButton text={config} label={t('codex.copyConfig')} />
      <h3>{t('codex.keyTitle')}</h3>
      <pre data-testid="codex-key-line" tabIndex={0}>
        {codexKeyLine(keyPreview)}
      </pre>
      <CopyButton text={fullKeyLine} label={t('codex.copyKeyLine')} />
      <p className="muted settings-hint">{t('codex.keyHidden')}</p>
    </SettingsCard>
  );
}
