/**
 * The settings store as the core reads it: every value goes through the settings schema, so a bad value in the
 * file counts as absent and the default applies. Each bad value is reported once (reads happen per request),
 * and again only if it changes.
 */
import type { SettingsStore } from '../ports.ts';
import { checkStoredSetting, type SettingProblem } from './settingsSchema.ts';

export function createCheckedSettingsStore(
  store: SettingsStore,
  onProblem: (problem: SettingProblem) => void,
): SettingsStore {
  const reported = new Map<string, string>();

  function report(problems: SettingProblem[]): void {
    for (const problem of problems) {
      const seen = JSON.stringify(problem.value) ?? 'undefined';
      if (reported.get(problem.key) === seen) continue;
      reported.set(problem.key, seen);
      onProblem(problem);
    }
  }

  return {
    get<T>(key: string): T | undefined {
      const { value, problems } = checkStoredSetting(key, store.get<unknown>(key));
      if (problems.length > 0) report(problems);
      return value as T | undefined;
    },
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
    onExternalChange: (listener) => store.onExternalChange(listener),
  };
}
