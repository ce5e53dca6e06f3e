import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  LOG_LEVELS,
  POOL_STRATEGIES,
  type SettingsPatch,
  type SettingsView,
} from '../../../../shared/adminApi.ts';
import { SelectField, SettingsSection, ToggleField } from './SettingsSection.tsx';
import { useSettingsSave } from './useSettingsSave.ts';

type InstantSettings = Pick<
  SettingsView,
  'poolStrategy' | 'logLevel' | 'ideWriteBack' | 'metricsPublic' | 'capturePrompts'
>;

const TOGGLES = ['ideWriteBack', 'metricsPublic', 'capturePrompts'] as const;

/** Choices and switches that save as soon as they change; the control shows the new value while it saves. */
export function BehaviourSection({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation('settings');
  const saving = useSettingsSave();
  const [pending, setPending] = useState<Partial<InstantSettings>>({});
  const shown: InstantSettings = { ...settings, ...pending };

  const change = async (patch: Partial<InstantSettings>) => {
    setPending(patch);
    await saving.save(patch satisfies SettingsPatch);
    setPending({});
  };

  return (
    <SettingsSection
      title={t('behaviour.title')}
      testId="settings-behaviour"
      error={saving.error}
      saved={saving.saved}
    >
      <SelectField
        label={t('pool.strategy')}
        value={shown.poolStrategy}
        options={POOL_STRATEGIES}
        optionLabel={(strategy) => t(`strategy.names.${strategy}`, { ns: 'accounts' })}
        disabled={saving.saving}
        onChange={(poolStrategy) => void change({ poolStrategy })}
      />
      <SelectField
        label={t('behaviour.logLevel')}
        value={shown.logLevel}
        options={LOG_LEVELS}
        optionLabel={(level) => level}
        disabled={saving.saving}
        onChange={(logLevel) => void change({ logLevel })}
      />
      {TOGGLES.map((name) => (
        <ToggleField
          key={name}
          label={t(`behaviour.${name}`)}
          hint={t(`behaviour.${name}Hint`)}
          checked={shown[name]}
          disabled={saving.saving}
          onChange={(checked) => void change({ [name]: checked })}
        />
      ))}
    </SettingsSection>
  );
}
