/**
 * The settings the dashboard shows and changes: the effective value of each, and a patch saved and applied to
 * the running parts at once (pool strategy, upstream timeouts, response cache, log level; the rest is read where
 * it is used). A change another process makes to the settings file is applied the same way. Where the proxy
 * listens is only stored: it takes effect when the proxy next starts.
 */
import {
  LOG_LEVELS,
  type LogLevelView,
  type SettingsPatch,
  type SettingsPatchResponse,
  type ListenOrigin,
  type SettingsView,
} from '../../../shared/adminApi.ts';
import type { AccountPool } from '../accounts/accountPool.ts';
import {
  DEFAULT_RESPONSE_CACHE_SETTINGS,
  type ResponseCache,
  type ResponseCacheSettings,
} from '../cache/responseCache.ts';
import { DEFAULT_TIMEOUTS, type ClientTimeouts, type KiroClient } from '../kiro/kiroClient.ts';
import type { Logger, SettingsStore } from '../ports.ts';
import type { ClientKeyHolder } from './clientKeyHolder.ts';
import {
  SETTING_CAPTURE_PROMPTS,
  SETTING_IDE_WRITE_BACK,
  SETTING_LISTEN_HOST,
  SETTING_LISTEN_PORT,
  SETTING_LOG_LEVEL,
  SETTING_METRICS_PUBLIC,
  SETTING_POOL_STRATEGY,
  SETTING_RESPONSE_CACHE,
  SETTING_TIMEOUTS,
} from './settingKeys.ts';
import {
  storedFlag,
  storedListen,
  storedLogLevel,
  storedResponseCache,
  storedStrategy,
  storedTimeouts,
  type ListenAddress,
} from './storedSettings.ts';

export interface CoreSettingsOptions {
  store: SettingsStore;
  client: KiroClient;
  pool: AccountPool;
  responseCache: ResponseCache;
  logger: Logger;
  clientKey: ClientKeyHolder;
  /** The host's defaults; stored values win over them. */
  defaults: { timeouts?: Partial<ClientTimeouts>; responseCache?: Partial<ResponseCacheSettings> };
}

/** The parts of the listen address a host took from a flag or the environment rather than the settings. */
export type ListenOverrides = Partial<Record<'host' | 'port', 'flag' | 'env'>>;

export interface CoreSettings {
  view(): SettingsView;
  /** Saves and applies a patch that was validated already (adminBodies.ts). */
  apply(patch: SettingsPatch): SettingsPatchResponse;
  /** Applies what another process changed in the store. */
  reload(): void;
  /** Tells listeners the view may have changed outside a patch (a new client key…). */
  changed(): void;
  /** Listeners hear of each change of the view; nothing is computed while there are none. */
  onChange(listener: (view: SettingsView) => void): () => void;
  /**
   * Where the proxy listens now, as its host reports it, with the parts a flag or the environment chose (the
   * others came from the settings file or the default).
   */
  setListening(address: ListenAddress | undefined, overridden?: ListenOverrides): void;
  listening(): ListenAddress | undefined;
  capturePrompts(): boolean;
  metricsPublic(): boolean;
  ideWriteBack(): boolean;
}

/** The settings applied to running parts; each is re-applied only when its stored value changed. */
const LIVE_KEYS = [SETTING_POOL_STRATEGY, SETTING_TIMEOUTS, SETTING_RESPONSE_CACHE, SETTING_LOG_LEVEL];
/** Every setting this module reads (the settings view). */
export const CORE_SETTING_KEYS = [
  ...LIVE_KEYS,
  SETTING_LISTEN_HOST,
  SETTING_LISTEN_PORT,
  SETTING_IDE_WRITE_BACK,
  SETTING_METRICS_PUBLIC,
  SETTING_CAPTURE_PROMPTS,
];

export function effectiveTimeouts(store: SettingsStore, defaults?: Partial<ClientTimeouts>): ClientTimeouts {
  return { ...DEFAULT_TIMEOUTS, ...defaults, ...storedTimeouts(store) };
}

export function effectiveResponseCache(
  store: SettingsStore,
  defaults?: Partial<ResponseCacheSettings>,
): ResponseCacheSettings {
  return { ...DEFAULT_RESPONSE_CACHE_SETTINGS, ...defaults, ...storedResponseCache(store) };
}

function listenOrigins(store: SettingsStore, overrides: ListenOverrides): SettingsView['listeningFrom'] {
  const origin = (part: 'host' | 'port', key: string): ListenOrigin =>
    overrides[part] ?? (store.get(key) === undefined ? 'default' : 'settings');
  return { host: origin('host', SETTING_LISTEN_HOST), port: origin('port', SETTING_LISTEN_PORT) };
}

export function createCoreSettings(options: CoreSettingsOptions): CoreSettings {
  const { logger } = options;
  const { store } = options;
  const listeners = new Set<(view: SettingsView) => void>();
  let listening: ListenAddress | undefined;
  let overrides: ListenOverrides = {};
  let lastSentJson: string | undefined;
  /** What each live setting's stored value was when last applied, to tell others' changes from ours. */
  const applied = new Map(LIVE_KEYS.map((key) => [key, JSON.stringify(store.get(key))]));

  const applyLive: Record<string, () => void> = {
    [SETTING_POOL_STRATEGY]: () => options.pool.setStrategy(storedStrategy(store) ?? 'sequential'),
    [SETTING_TIMEOUTS]: () => options.client.setTimeouts(effectiveTimeouts(store, options.defaults.timeouts)),
    [SETTING_RESPONSE_CACHE]: () => reconfigureResponseCache(options, store),
    [SETTING_LOG_LEVEL]: () => {
      const level = storedLogLevel(store);
      if (level && logger.level !== undefined) logger.level = level;
    },
  };

  function applyChanged(): void {
    for (const key of LIVE_KEYS) {
      const json = JSON.stringify(store.get(key));
      if (json === applied.get(key)) continue;
      applied.set(key, json);
      applyLive[key]!();
    }
  }

  function view(): SettingsView {
    const timeouts = options.client.timeouts();
    const cache = options.responseCache.settings();
    return {
      listen: storedListen(store),
      ...(listening && { listening: { ...listening }, listeningFrom: listenOrigins(store, overrides) }),
      poolStrategy: options.pool.strategy,
      timeouts: {
        connectMs: timeouts.connectMs,
        firstEventMs: timeouts.firstEventMs,
        idleMs: timeouts.idleMs,
      },
      responseCache: {
        enabled: cache.enabled,
        ttlSeconds: cache.ttlSeconds,
        maxBytes: cache.maxBytes,
        includeToolsAndSampling: cache.includeToolsAndSampling,
      },
      ideWriteBack: storedFlag(store, SETTING_IDE_WRITE_BACK, true),
      logLevel: levelOf(logger) ?? storedLogLevel(store) ?? 'info',
      metricsPublic: storedFlag(store, SETTING_METRICS_PUBLIC, false),
      capturePrompts: storedFlag(store, SETTING_CAPTURE_PROMPTS, false),
      clientKeyPreview: options.clientKey.preview(),
    };
  }

  function changed(): void {
    if (listeners.size === 0) return;
    const current = view();
    const json = JSON.stringify(current);
    if (json === lastSentJson) return;
    lastSentJson = json;
    for (const listener of [...listeners]) listener(current);
  }

  function save(patch: SettingsPatch): void {
    if (patch.listen) {
      const next = { ...storedListen(store), ...patch.listen };
      store.set(SETTING_LISTEN_HOST, next.host);
      store.set(SETTING_LISTEN_PORT, next.port);
    }
    if (patch.poolStrategy) store.set(SETTING_POOL_STRATEGY, patch.poolStrategy);
    if (patch.timeouts) store.set(SETTING_TIMEOUTS, { ...storedTimeouts(store), ...patch.timeouts });
    if (patch.responseCache)
      store.set(SETTING_RESPONSE_CACHE, { ...storedResponseCache(store), ...patch.responseCache });
    if (patch.ideWriteBack !== undefined) store.set(SETTING_IDE_WRITE_BACK, patch.ideWriteBack);
    if (patch.logLevel) store.set(SETTING_LOG_LEVEL, patch.logLevel);
    if (patch.metricsPublic !== undefined) store.set(SETTING_METRICS_PUBLIC, patch.metricsPublic);
    if (patch.capturePrompts !== undefined) store.set(SETTING_CAPTURE_PROMPTS, patch.capturePrompts);
  }

  return {
    view,
    apply(patch) {
      const runningAt = listening ?? storedListen(store);
      save(patch);
      applyChanged();
      // A level the host chose (flag or environment) is replaced even when the stored value did not change.
      if (patch.logLevel && logger.level !== undefined) logger.level = patch.logLevel;
      const listen = storedListen(store);
      const restartRequired =
        patch.listen && (listen.host !== runningAt.host || listen.port !== runningAt.port) ? ['listen'] : [];
      changed();
      return { settings: view(), restartRequired };
    },
    reload() {
      applyChanged();
      changed();
    },
    changed,
    onChange(listener) {
      if (listeners.size === 0) lastSentJson = JSON.stringify(view());
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    setListening(address, overridden = {}) {
      listening = address && { host: address.host, port: address.port };
      overrides = { ...overridden };
      changed();
    },
    listening: () => listening && { ...listening },
    capturePrompts: () => storedFlag(store, SETTING_CAPTURE_PROMPTS, false),
    metricsPublic: () => storedFlag(store, SETTING_METRICS_PUBLIC, false),
    ideWriteBack: () => storedFlag(store, SETTING_IDE_WRITE_BACK, true),
  };
}

/**
 * Switching the cache off empties it and smaller limits evict; the cache reports its size only when it stores an
 * answer, so the figures the dashboard and /metrics show are brought up to date here.
 */
function reconfigureResponseCache(options: CoreSettingsOptions, store: SettingsStore): void {
  const cache = options.responseCache;
  cache.configure(effectiveResponseCache(store, options.defaults.responseCache));
  const { entries, bytes } = cache.stats();
  cache.onSizeChange?.(entries, bytes);
}

function levelOf(logger: Logger): LogLevelView | undefined {
  return LOG_LEVELS.find((level) => level === logger.level);
}
