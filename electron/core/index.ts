/**
 * The core, assembled from ports. Hosts (the Electron main process, `kiro-dock serve`, tests) decide where
 * files live and how secrets are kept; the core never imports Electron.
 */
import type express from 'express';
import { createAccountPool, type AccountPoolOptions, type PoolStrategy } from './accounts/accountPool.ts';
import { createAccountRepository, type AccountRepository } from './accounts/accountRepository.ts';
import { createAccountService, type AccountService } from './accounts/accountService.ts';
import { createModelCatalogue } from './cache/modelCatalogue.ts';
import {
  createResponseCache,
  type ResponseCache,
  type ResponseCacheSettings,
} from './cache/responseCache.ts';
import { createKiroClient, type ClientTimeouts, type KiroClient } from './kiro/kiroClient.ts';
import { resolveKiroEndpoints } from './kiro/kiroEndpoints.ts';
import { systemClock, type Clock, type Logger, type SecretStore, type SettingsStore } from './ports.ts';
import { createApp } from './server/createApp.ts';
import { logRequest } from './server/requestLog.ts';
import type { ServerSettings } from './server/routes/routeContext.ts';
import { withAttemptReporting } from './stats/attemptReporting.ts';
import { followPoolGauges } from './stats/poolGauges.ts';
import { createRequestStats, type RequestStats } from './stats/requestStats.ts';

export interface CoreOptions {
  /** The key clients must present. */
  clientKey: string;
  /** The bearer token of the admin API (/admin); never the client key. */
  adminToken: string;
  logger: Logger;
  version: string;
  settings: SettingsStore;
  secrets: SecretStore;
  /** Folder holding the Kiro IDE's kiro-auth-token.json (normally ~/.aws/sso/cache); undefined: no IDE import. */
  kiroAuthDir?: string;
  /** One base URL for every Kiro call (emulator, tests, benchmarks). */
  upstreamUrl?: string;
  region?: string;
  clock?: Clock;
  server?: Partial<ServerSettings>;
  timeouts?: Partial<ClientTimeouts>;
  quotaIntervalMs?: number;
  /** kiro-cli databases the admin API imports from; default: the OS's usual places. */
  kiroCliDatabasePaths?: string[];
  /** Concurrency per account and the wait queue (defaults: 8 per account, 64 waiting, 30 s). */
  poolLimits?: Pick<AccountPoolOptions, 'maxConcurrentPerAccount' | 'maxQueue' | 'queueTimeoutMs'>;
  /** Response cache defaults (on, 2 min, 32 MB); the stored `responseCache` setting overrides them. */
  responseCache?: Partial<ResponseCacheSettings>;
}

export interface Core {
  app: express.Express;
  client: KiroClient;
  repository: AccountRepository;
  accounts: AccountService;
  /** Counters, time series and the last upstream outcome: /metrics, /admin/stats and /health read them. */
  stats: RequestStats;
  /** Its `stats()` and `onResult` hook are what metrics read. */
  responseCache: ResponseCache;
  /** Loads accounts, imports the IDE login, starts refreshing and quota reads. */
  start(): Promise<void>;
  dispose(): void;
}

export const SETTING_POOL_STRATEGY = 'poolStrategy';
export const SETTING_IDE_WRITE_BACK = 'ideWriteBack';
/** `{ enabled, ttlSeconds, maxBytes }`, any of them. */
export const SETTING_RESPONSE_CACHE = 'responseCache';
export const SETTING_TIMEOUTS = 'timeouts';

/** The per-phase timeouts a user set, keeping only whole positive millisecond values. */
function validTimeouts(value: unknown): Partial<ClientTimeouts> {
  if (!value || typeof value !== 'object') return {};
  const timeouts: Partial<ClientTimeouts> = {};
  for (const key of ['connectMs', 'firstEventMs', 'idleMs', 'controlCallMs'] as const) {
    const ms = (value as Record<string, unknown>)[key];
    if (typeof ms === 'number' && Number.isInteger(ms) && ms > 0) timeouts[key] = ms;
  }
  return timeouts;
}
/** true: /metrics answers without the admin token (still on loopback names only). */
export const SETTING_METRICS_PUBLIC = 'metricsPublic';

export function createCore(options: CoreOptions): Core {
  const clock = options.clock ?? systemClock;
  const client = createKiroClient({
    endpoints: resolveKiroEndpoints({ region: options.region, upstreamUrl: options.upstreamUrl }),
    // Stored settings (settings.json `timeouts`) win over the host's defaults.
    timeouts: { ...options.timeouts, ...validTimeouts(options.settings.get<unknown>(SETTING_TIMEOUTS)) },
    now: () => clock.now(),
  });
  const stats = createRequestStats({ clock });
  const repository = createAccountRepository({ settings: options.settings, secrets: options.secrets, clock });
  const pool = createAccountPool({
    ...options.poolLimits,
    clock,
    strategy: options.settings.get<PoolStrategy>(SETTING_POOL_STRATEGY) ?? 'sequential',
  });
  pool.onEvent((event) => {
    if (event.type === 'state') {
      options.logger.info(
        { account: event.accountId, from: event.from.kind, to: event.to },
        'account state changed',
      );
    }
  });
  const accounts = createAccountService({
    repository,
    pool,
    client,
    clock,
    logger: options.logger,
    kiroAuthDir: options.kiroAuthDir,
    ideWriteBack: () => options.settings.get<boolean>(SETTING_IDE_WRITE_BACK) ?? true,
    quotaIntervalMs: options.quotaIntervalMs,
    onRefresh: (accountId, outcome) => stats.recordRefresh(accountId, outcome),
  });
  const stopPoolGauges = followPoolGauges(pool, stats);
  const storedCacheSettings = () =>
    options.settings.get<Partial<ResponseCacheSettings>>(SETTING_RESPONSE_CACHE);
  const responseCache = createResponseCache({
    settings: { ...options.responseCache, ...storedCacheSettings() },
    now: () => clock.now(),
  });
  responseCache.onResult = (result, bytes) => {
    if (result !== 'bypass') stats.recordCache('response', result, bytes);
  };
  responseCache.onSizeChange = (entries, bytes) => stats.setCacheSize('response', entries, bytes);
  const stopWatchingSettings = options.settings.onExternalChange(() =>
    responseCache.configure({ ...options.responseCache, ...storedCacheSettings() }),
  );
  const app = createApp({
    clientKey: options.clientKey,
    admin: {
      adminToken: options.adminToken,
      accounts,
      repository,
      clock,
      logger: options.logger,
      saveStrategy: (strategy) => options.settings.set(SETTING_POOL_STRATEGY, strategy),
      kiroAuthDir: options.kiroAuthDir,
      kiroCliDatabasePaths: options.kiroCliDatabasePaths,
      statsReport: () => stats.report('15m'),
    },
    context: {
      turnDeps: { client, accounts: withAttemptReporting(accounts, stats), logger: options.logger, clock },
      settings: { modelAliases: {}, ...options.server },
      logger: options.logger,
      version: options.version,
      startedAt: Date.now(),
      recordRequest: (req, record) => {
        logRequest(options.logger, req, record);
        stats.recordRequest(routeOf(req), record);
      },
      responseCache,
      models: createModelCatalogue({ client, accounts, now: () => clock.now() }),
    },
    stats: {
      stats,
      adminToken: options.adminToken,
      metricsPublic: () => options.settings.get<boolean>(SETTING_METRICS_PUBLIC) === true,
    },
  });
  return {
    app,
    client,
    repository,
    accounts,
    stats,
    responseCache,
    start: () => accounts.start(),
    dispose() {
      stopWatchingSettings();
      stopPoolGauges();
      accounts.dispose();
      client.close();
    },
  };
}

/** The matched route's path: a bounded label, whatever the client put in the URL. */
function routeOf(req: express.Request): string {
  const route: unknown = req.route;
  const path = (route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : 'other';
}
