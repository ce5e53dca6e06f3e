/**
 * Reading settings back from the store. The file can be edited by hand or by another version, so every value is
 * checked and a bad one counts as absent (the default applies) instead of breaking the start.
 */
import {
  LOG_LEVELS,
  POOL_STRATEGIES,
  type LogLevelView,
  type PoolStrategy,
} from '../../../shared/adminApi.ts';
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

export interface ListenAddress {
  host: string;
  port: number;
}

/** The per-phase timeouts a user set, keeping only whole positive millisecond values. */
export function storedTimeouts(store: SettingsStore): Partial<ClientTimeouts> {
  const value = store.get<unknown>(SETTING_TIMEOUTS);
  const timeouts: Partial<ClientTimeouts> = {};
  for (const key of ['connectMs', 'firstEventMs', 'idleMs', 'controlCallMs'] as const) {
    const ms = recordOf(value)[key];
    if (isWhole(ms) && ms > 0) timeouts[key] = ms;
  }
  return timeouts;
}

export function storedResponseCache(store: SettingsStore): Partial<ResponseCacheSettings> {
  const value = recordOf(store.get<unknown>(SETTING_RESPONSE_CACHE));
  const settings: Partial<ResponseCacheSettings> = {};
  if (typeof value['enabled'] === 'boolean') settings.enabled = value['enabled'];
  if (isWhole(value['ttlSeconds']) && value['ttlSeconds'] >= 0) settings.ttlSeconds = value['ttlSeconds'];
  if (isWhole(value['maxBytes']) && value['maxBytes'] >= 0) settings.maxBytes = value['maxBytes'];
  return settings;
}

export function storedStrategy(store: SettingsStore): PoolStrategy | undefined {
  const value = store.get<unknown>(SETTING_POOL_STRATEGY);
  return POOL_STRATEGIES.find((strategy) => strategy === value);
}

export function storedLogLevel(store: SettingsStore): LogLevelView | undefined {
  const value = store.get<unknown>(SETTING_LOG_LEVEL);
  return LOG_LEVELS.find((level) => level === value);
}

/** Where `kiro-dock serve` listens when no flag says otherwise. */
export function storedListen(store: SettingsStore): ListenAddress {
  const host = store.get<unknown>(SETTING_LISTEN_HOST);
  const port = store.get<unknown>(SETTING_LISTEN_PORT);
  return {
    host: typeof host === 'string' && host.length > 0 ? host : DEFAULT_LISTEN.host,
    port: isWhole(port) && port > 0 && port <= 65_535 ? port : DEFAULT_LISTEN.port,
  };
}

function recordOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}
