import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResponseCacheSettingsView, SettingsView } from '../../../../shared/adminApi.ts';
import { SettingsSection, TextField, ToggleField } from './SettingsSection.tsx';
import { bytesToMbText, invalidPaths, mbToBytes, parseDecimal } from './settingsForm.ts';
import { useDraft } from './useDraft.ts';
import { useSettingsSave } from './useSettingsSave.ts';

/** On/off saves at once; time to live and size (MB in the form, bytes in the API) save with the button. */
export function ResponseCacheSection({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation('settings');
  const errorId = useId();
  const saving = useSettingsSave();
  const cache = settings.responseCache;
  const { draft, setDraft, dirty } = useDraft({
    ttlSeconds: String(cache.ttlSeconds),
    maxMb: bytesToMbText(cache.maxBytes),
  });
  const invalid = invalidPaths(saving.error);

  const save = () => {
    const ttlSeconds = parseDecimal(draft.ttlSeconds);
    const maxMb = parseDecimal(draft.maxMb);
    if (ttlSeconds === undefined) return saving.fail(`responseCache.ttlSeconds: ${t('cache.notANumber')}`);
    if (maxMb === undefined) return saving.fail(`responseCache.maxBytes: ${t('cache.notANumber')}`);
    const responseCache: Partial<ResponseCacheSettingsView> = {};
    if (ttlSeconds !== cache.ttlSeconds) responseCache.ttlSeconds = ttlSeconds;
    if (draft.maxMb !== bytesToMbText(cache.maxBytes)) responseCache.maxBytes = mbToBytes(maxMb);
    void saving.save({ responseCache });
  };

  return (
    <SettingsSection
      title={t('cache.title')}
      explain={t('cache.explain')}
      testId="settings-response-cache"
      errorId={errorId}
      error={saving.error}
      saved={saving.saved}
      saving={saving.saving}
      dirty={dirty}
      onSave={save}
    >
      <ToggleField
        label={t('cache.enabled')}
        checked={cache.enabled}
        disabled={saving.saving}
        onChange={(enabled) => void saving.save({ responseCache: { enabled } })}
      />
      <TextField
        label={t('cache.ttl')}
        type="number"
        min={0}
        value={draft.ttlSeconds}
        onChange={(ttlSeconds) => setDraft({ ttlSeconds })}
        invalid={invalid.has('responseCache.ttlSeconds')}
        describedBy={errorId}
      />
      <TextField
        label={t('cache.maxMb')}
        type="number"
        min={0}
        step="any"
        value={draft.maxMb}
        onChange={(maxMb) => setDraft({ maxMb })}
        invalid={invalid.has('responseCache.maxBytes')}
        describedBy={errorId}
      />
    </SettingsSection>
  );
}
