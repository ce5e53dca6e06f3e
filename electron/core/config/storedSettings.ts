/**
 * Reading settings back from the store. The file can be edited by hand or by another version, so every value is
 * checked against the settings schema and a bad one counts as absent (the default applies).
 */
import type { LogLevelView, PoolStrategy } from '../../../shared/adminApi.ts';
import type { ResponseCacheSettings } from '../cache/responseCache.ts';
import type { ClientTimeouts } from '../kiro/kiroClient.ts';
import type { SettingsStore } from '../ports.ts';
import {
  DEFAULT_LISTEN,
  SETTING_LISTEN_HOST,
  SETTING_LISTEN_PORT,
  SETTING_LOG_LEVEL,
  SETTING_POOL_STRATEGY,
  SETTING_RESPONSE_CACHE,
  SETTING_TIMEOUTS,
} from './settingKeys.ts';
import { checkStoredSetting } from './settingsSchema.ts';

export interface ListenAddress {
  host: string;
  port: number;
}

/** The per-phase timeouts a user set (valid ones only). */
export function storedTimeouts(store: SettingsStore): Partial<ClientTimeouts> {
  return checked<Partial<ClientTimeouts>>(store, SETTING_TIMEOUTS) ?? {};
}

export function storedResponseCache(store: SettingsStore): Partial<ResponseCacheSettings> {
  return checked<Partial<ResponseCacheSettings>>(store, SETTING_RESPONSE_CACHE) ?? {};
}

export function storedStrategy(store: SettingsStore): PoolStrategy | undefined {
  return checked<PoolStrategy>(store, SETTING_POOL_STRATEGY);
}

export function storedLogLevel(store: SettingsStore): LogLevelView | undefined {
  return checked<LogLevelView>(store, SETTING_LOG_LEVEL);
}

/** Where `kiro-dock serve` listens when no flag says otherwise. */
export function storedListen(store: SettingsStore): ListenAddress {
  return {
    host: checked<string>(store, SETTING_LISTEN_HOST) ?? DEFAULT_LISTEN.host,
    port: checked<number>(store, SETTING_LISTEN_PORT) ?? DEFAULT_LISTEN.port,
  };
}

/** A stored boolean, or the default when it is absent or not a boolean (a hand-written "false" included). */
export function storedFlag(store: SettingsStore, key: string, fallback: boolean): boolean {
  const value = store.get<unknown>(key);
  return typeof value === 'boolean' ? value : fallback;
}

/**
 * The valid part of a stored value. Hosts may pass the raw store, so the schema is applied here too; the core's
 * own store reports what it leaves out (checkedSettingsStore.ts).
 */
function checked<T>(store: SettingsStore, key: string): T | undefined {
  return checkStoredSetting(key, store.get<unknown>(key)).value as T | undefined;
}
