import { useTranslation } from 'react-i18next';
import type { SettingsView, TimeoutsView } from '../../../../shared/adminApi.ts';
import { SettingsSection, TextField } from './SettingsSection.tsx';
import { msToSecondsText, parseDecimal, secondsToMs } from './settingsForm.ts';
import { useSettingsForm } from './useSettingsForm.ts';

const FIELDS = [
  ['connectMs', 'timeouts.connect'],
  ['firstEventMs', 'timeouts.firstEvent'],
  ['idleMs', 'timeouts.idle'],
] as const;

/** The three per-phase upstream timeouts, edited in seconds and sent in milliseconds. */
export function TimeoutsSection({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation('settings');
  const { draft, setDraft, saving, section, field } = useSettingsForm({
    connectMs: msToSecondsText(settings.timeouts.connectMs),
    firstEventMs: msToSecondsText(settings.timeouts.firstEventMs),
    idleMs: msToSecondsText(settings.timeouts.idleMs),
  });

  const save = () => {
    const timeouts: Partial<TimeoutsView> = {};
    for (const [key] of FIELDS) {
      const seconds = parseDecimal(draft[key]);
      if (seconds === undefined) return saving.fail(`timeouts.${key}: ${t('timeouts.notANumber')}`);
      const ms = secondsToMs(seconds);
      if (ms !== settings.timeouts[key]) timeouts[key] = ms;
    }
    void saving.save({ timeouts });
  };

  return (
    <SettingsSection
      title={t('timeouts.title')}
      explain={t('timeouts.explain')}
      testId="settings-timeouts"
      {...section}
      onSave={save}
    >
      {FIELDS.map(([key, label]) => (
        <TextField
          key={key}
          label={t(label)}
          type="number"
          min={0}
          step="any"
          unit={t('timeouts.seconds')}
          value={draft[key]}
          onChange={(value) => setDraft({ [key]: value })}
          {...field(`timeouts.${key}`)}
        />
      ))}
    </SettingsSection>
  );
}
