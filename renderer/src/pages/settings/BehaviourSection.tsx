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
        optionLabel={(strategy) => t(`pool.strategies.${strategy}`)}
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
      <ToggleField
        label={t('behaviour.ideWriteBack')}
        hint={t('behaviour.ideWriteBackHint')}
        checked={shown.ideWriteBack}
        disabled={saving.saving}
        onChange={(ideWriteBack) => void change({ ideWriteBack })}
      />
      <ToggleField
        label={t('behaviour.metricsPublic')}
        hint={t('behaviour.metricsPublicHint')}
        checked={shown.metricsPublic}
        disabled={saving.saving}
        onChange={(metricsPublic) => void change({ metricsPublic })}
      />
      <ToggleField
        label={t('behaviour.capturePrompts')}
        hint={t('behaviour.capturePromptsHint')}
        checked={shown.capturePrompts}
        disabled={saving.saving}
        onChange={(capturePrompts) => void change({ capturePrompts })}
      />
    </SettingsSection>
  );
}
