import { useTranslation } from 'react-i18next';
import type { ResponseCacheSettingsView, SettingsView } from '../../../../shared/adminApi.ts';
import { SettingsSection, TextField, ToggleField } from './SettingsSection.tsx';
import { bytesToMbText, mbToBytes, parseDecimal } from './settingsForm.ts';
import { useSettingsForm } from './useSettingsForm.ts';

/**
 * The switches save at once; time to live and size (MB in the form, bytes in the API) save with the button.
 * Including tools and sampling is a separate, explained switch: it lets answers with tool calls be replayed.
 */
export function ResponseCacheSection({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation('settings');
  const cache = settings.responseCache;
  const { draft, setDraft, saving, section, field } = useSettingsForm({
    ttlSeconds: String(cache.ttlSeconds),
    maxMb: bytesToMbText(cache.maxBytes),
  });

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
      {...section}
      onSave={save}
    >
      <ToggleField
        label={t('cache.enabled')}
        checked={cache.enabled}
        disabled={saving.saving}
        onChange={(enabled) => void saving.save({ responseCache: { enabled } })}
      />
      <ToggleField
        label={t('cache.includeToolsAndSampling')}
        hint={t('cache.includeToolsAndSamplingHint')}
        checked={cache.includeToolsAndSampling}
        disabled={saving.saving}
        onChange={(includeToolsAndSampling) =>
          void saving.save({ responseCache: { includeToolsAndSampling } })
        }
      />
      <TextField
        label={t('cache.ttl')}
        type="number"
        min={0}
        value={draft.ttlSeconds}
        onChange={(ttlSeconds) => setDraft({ ttlSeconds })}
        {...field('responseCache.ttlSeconds')}
      />
      <TextField
        label={t('cache.maxMb')}
        type="number"
        min={0}
        step="any"
        value={draft.maxMb}
        onChange={(maxMb) => setDraft({ maxMb })}
        {...field('responseCache.maxBytes')}
      />
    </SettingsSection>
  );
}
