/**
 * Some settings kept elsewhere than the rest: replicas keep the accounts' records and states in Redis
 * (redis/redisAccountSettings.ts) and everything else in their own settings file.
 */
import type { SettingsStore } from '../ports.ts';

export function routeSettings(
  rest: SettingsStore,
  elsewhere: { keys: readonly string[]; store: SettingsStore },
): SettingsStore {
  const storeOf = (key: string) => (elsewhere.keys.includes(key) ? elsewhere.store : rest);
  return {
    get: <T>(key: string) => storeOf(key).get<T>(key),
    set: (key, value) => storeOf(key).set(key, value),
    delete: (key) => storeOf(key).delete(key),
    onExternalChange(listener) {
      const stops = [rest.onExternalChange(listener), elsewhere.store.onExternalChange(listener)];
      return () => stops.forEach((stop) => stop());
    },
  };
}
