import { useId } from 'react';
import { invalidPaths } from './settingsForm.ts';
import { useDraft } from './useDraft.ts';
import { useSettingsSave } from './useSettingsSave.ts';

/**
 * What every settings card saved with one button shares: the draft of its fields, the save and its outcome,
 * and which fields the server's last refusal names. `section` spreads onto SettingsSection, `field(path)` onto
 * each TextField, so an invalid field points at the message that explains it.
 */
export function useSettingsForm<T>(source: T) {
  const errorId = useId();
  const saving = useSettingsSave();
  const { draft, setDraft, dirty } = useDraft(source);
  const invalid = invalidPaths(saving.error);

  const section = {
    errorId,
    error: saving.error,
    saved: saving.saved,
    saving: saving.saving,
    dirty,
  };
  /** Marks the field invalid when the message names any of `paths` (a field or its whole group). */
  const field = (...paths: string[]) => ({
    invalid: paths.some((path) => invalid.has(path)),
    describedBy: errorId,
  });

  return { draft, setDraft, saving, section, field };
}
