import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DESKTOP_BRIDGE_GLOBAL, type DesktopBridge } from '../../../../shared/desktopBridge.ts';
import { LANGUAGES, rememberLanguage, type Language } from '../../i18n/i18n.ts';
import { SelectField, SettingsSection, ToggleField } from './SettingsSection.tsx';

/** The desktop app's preload bridge; absent in a plain browser. */
function desktopBridge(): DesktopBridge | undefined {
  return (window as unknown as Record<string, DesktopBridge | undefined>)[DESKTOP_BRIDGE_GLOBAL];
}

/** The dashboard's language (as the header's switch) and, in the desktop app only, launch at login. */
export function DashboardSection() {
  const { t, i18n } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const bridge = desktopBridge();

  const changeLanguage = (language: Language) => {
    rememberLanguage(language);
    void i18n.changeLanguage(language);
  };

  return (
    <SettingsSection title={t('dashboard.title')} testId="settings-dashboard">
      <SelectField
        label={t('dashboard.language')}
        value={i18n.language as Language}
        options={LANGUAGES}
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
