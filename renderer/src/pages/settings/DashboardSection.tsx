import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DesktopBridge } from '../../../../shared/desktopBridge.ts';
import { desktopBridge } from '../../desktopBridge.ts';
import { useLanguage } from '../../i18n/useLanguage.ts';
import { SelectField, SettingsSection, ToggleField } from './SettingsSection.tsx';

/** The dashboard's language (as the header's switch) and, in the desktop app only, launch at login. */
export function DashboardSection() {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const { language, languages, changeLanguage } = useLanguage();
  const bridge = desktopBridge();

  return (
    <SettingsSection title={t('dashboard.title')} testId="settings-dashboard">
      <SelectField
        label={t('dashboard.language')}
        value={language}
        options={languages}
        optionLabel={(language) => tc(`languages.${language}`)}
        onChange={changeLanguage}
      />
      {bridge ? <LaunchAtLogin bridge={bridge} /> : null}
    </SettingsSection>
  );
}

function LaunchAtLogin({ bridge }: { bridge: DesktopBridge }) {
  const { t } = useTranslation('settings');
  const [enabled, setEnabled] = useState<boolean>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let current = true;
    bridge.getLaunchAtLogin().then(
      (value) => current && setEnabled(value),
      (failure: Error) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [bridge]);

  const change = async (next: boolean) => {
    setError(undefined);
    try {
      // The OS may refuse; show what it reports rather than what was asked.
      setEnabled(await bridge.setLaunchAtLogin(next));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <>
      <ToggleField
        label={t('dashboard.launchAtLogin')}
        checked={enabled ?? false}
        disabled={enabled === undefined}
        onChange={(next) => void change(next)}
      />
      {error ? (
        <p className="settings-error" role="alert">
          {t('dashboard.launchFailed', { message: error })}
        </p>
      ) : null}
    </>
  );
}
