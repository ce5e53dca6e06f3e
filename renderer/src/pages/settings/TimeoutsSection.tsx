import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView, TimeoutsView } from '../../../../shared/adminApi.ts';
import { SettingsSection, TextField } from './SettingsSection.tsx';
import { invalidPaths, msToSecondsText, parseDecimal, secondsToMs } from './settingsForm.ts';
import { useDraft } from './useDraft.ts';
import { useSettingsSave } from './useSettingsSave.ts';

const FIELDS = [
  ['connectMs', 'timeouts.connect'],
  ['firstEventMs', 'timeouts.firstEvent'],
  ['idleMs', 'timeouts.idle'],
] as const;

/** The three per-phase upstream timeouts, edited in seconds and sent in milliseconds. */
export function TimeoutsSection({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation('settings');
  const errorId = useId();
  const saving = useSettingsSave();
  const { draft, setDraft, dirty } = useDraft({
    connectMs: msToSecondsText(settings.timeouts.connectMs),
    firstEventMs: msToSecondsText(settings.timeouts.firstEventMs),
    idleMs: msToSecondsText(settings.timeouts.idleMs),
  });
  const invalid = invalidPaths(saving.error);

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
      errorId={errorId}
      error={saving.error}
      saved={saving.saved}
      saving={saving.saving}
      dirty={dirty}
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
          invalid={invalid.has(`timeouts.${key}`)}
          describedBy={errorId}
        />
      ))}
    </SettingsSection>
  );
}
