/**
 * The core, assembled from ports. Hosts (the Electron main process, `kiro-dock serve`, tests) decide where
 * files live and how secrets are kept; the core never imports Electron.
 */
import type express from 'express';
import { RECENT_REQUESTS_KEPT } from '../../shared/adminApi.ts';
import type { BatchImportItem } from '../../shared/batchImportApi.ts';
import { createAccountPool, type AccountPool, type AccountPoolOptions } from './accounts/accountPool.ts';
import {
  ACCOUNT_STATES_SETTING,
  ACCOUNTS_SETTING,
  createAccountRepository,
  type AccountRepository,
} from './accounts/accountRepository.ts';
import { createAccountService, type AccountService } from './accounts/accountService.ts';
import { SETTING_CHAT_HOST } from './config/settingKeys.ts';
import { createModelCatalogue } from './cache/modelCatalogue.ts';
import {
  createResponseCache,
  type ResponseCache,
  type ResponseCacheSettings,
} from './cache/responseCache.ts';
import { proxyBaseUrl } from './config/claudeCodeSetup.ts';
import { createClientKeyHolder } from './config/clientKeyHolder.ts';
import { createCheckedSettingsStore } from './config/checkedSettingsStore.ts';
import { createLastGoodSettingsStore } from './config/lastGoodSettingsStore.ts';
import {
  CORE_SETTING_KEYS,
  createCoreSettings,
  effectiveResponseCache,
  effectiveTimeouts,
  type CoreSettings,
  type ListenOverrides,
} from './config/coreSettings.ts';
import { storedListen, storedStrategy, type ListenAddress } from './config/storedSettings.ts';
import { createKiroClient, type ClientTimeouts, type KiroClient } from './kiro/kiroClient.ts';
import { resolveKiroEndpoints } from './kiro/kiroEndpoints.ts';
import { systemClock, type Clock, type Logger, type SecretStore, type SettingsStore } from './ports.ts';
import { matchesAdminToken } from './server/admin/adminGuard.ts';
import { createDashboardLogin } from './server/admin/dashboardLogin.ts';
import { createRecentRequests } from './server/admin/recentRequests.ts';
import { createApp } from './server/createApp.ts';
import { createPromptRunner, type RunPrompt } from './server/promptRunner.ts';
import { createRefusedClientKeys } from './server/refusedClientKeys.ts';
import { createRequestRecorder, httpOrigin } from './server/requestRecorder.ts';
import type { ServerSettings } from './server/routes/routeContext.ts';
import { createThrottlePacer } from './accounts/throttlePacer.ts';
import { createInputTokenCalibration } from './stats/inputTokenCalibration.ts';
import { withAttemptReporting } from './stats/attemptReporting.ts';
import { createSignInSessions } from './signin/signInSessions.ts';
import { runBatchImport } from './accounts/batchImport.ts';
import { parseBatch } from './accounts/batchParse.ts';
import { resolveSignInEndpoints } from './signin/signInEndpoints.ts';
import { followPoolGauges } from './stats/poolGauges.ts';
import { createRequestStats, type RequestStats } from './stats/requestStats.ts';
import { CLIENT_KEYS_SETTING } from './keys/clientKeyStore.ts';
import { createTeamAccess, type TeamAccess } from './keys/teamAccess.ts';
import type { UsageLedger } from './usage/usageLedger.ts';
import type { RedisTeamState, SharedAccounts } from './redis/redisTeamState.ts';
import { ACCOUNT_SETTING_KEYS } from './redis/redisAccountSettings.ts';
import { routeSettings } from './settings/routedSettingsStore.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

export interface CoreOptions {
  /** The key clients must present. */
  clientKey: string;
  /** The host took the key from its environment (KIRO_DOCK_API_KEY): the admin API cannot replace it. */
  clientKeyFromEnvironment?: boolean;
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
  /**
   * Response cache defaults (off; when on: 2 min, 32 MB, no tools or sampling); the stored `responseCache`
   * setting overrides them.
   */
  responseCache?: Partial<ResponseCacheSettings>;
  /** The built dashboard (index.html + assets), served at /dashboard/; undefined: a page says how to build it. */
  dashboardDir?: string;
  /** Claude Code's settings file (normally ~/.claude/settings.json); undefined: no Claude Code setup. */
  claudeSettingsPath?: string;
  /** Where every finished request is recorded (`openSqliteUsageLedger`); undefined: no ledger. */
  usageLedger?: UsageLedger;
  /**
   * The team's keys, spending, rates and cached answers shared with other replicas (`connectRedisTeamState`);
   * undefined: this process's.
   */
  sharedTeamState?: Pick<RedisTeamState, 'keyStore' | 'spending' | 'rateLimiter' | 'answerStore'>;
  /**
   * The Kiro accounts shared with other replicas (`connectRedisTeamState(...).accounts`): their records, states
   * and secrets, and the refresh lock. undefined: this process's settings and secret store. The client key stays
   * in `secrets` either way.
   */
  sharedAccounts?: SharedAccounts;
}

export interface Core {
  app: express.Express;
  client: KiroClient;
  repository: AccountRepository;
  accounts: AccountService;
  /**
   * The accounts as the pool holds them (state, quota, in flight) and each change, read-only: what the tray, the
   * desktop's notifications and `serve`'s warnings read.
   */
  pool: Pick<AccountPool, 'snapshot' | 'get' | 'onEvent'>;
  /** Counters, time series and the last upstream outcome: /metrics, /admin/stats and /health read them. */
  stats: RequestStats;
  /** Its `stats()` and `onResult` hook are what metrics read. */
  responseCache: ResponseCache;
  /** What the dashboard's settings page shows and changes. */
  settings: CoreSettings;
  /** The team's client keys, their spending, and the usage ledger. */
  team: TeamAccess;
  /** Loads accounts, imports the IDE login, starts refreshing and quota reads. */
  start(): Promise<void>;
  /**
   * The host reports where it bound the proxy (undefined once it stopped listening), and which parts of the
   * address a flag or the environment chose over the settings.
   */
  setListening(address: ListenAddress | undefined, overridden?: ListenOverrides): void;
  /** A one-time dashboard login code, valid 10 minutes (`/dashboard/#login=CODE`). */
  mintDashboardLogin(): string;
  /**
   * The host saw the machine wake from sleep (Electron's powerMonitor 'resume'): tokens, cooldowns and quotas
   * are re-checked at once. Without it a wake is noticed within seconds by the clock itself.
   */
  resumedFromSleep(): void;
  /**
   * Answers one prompt without HTTP (the stdio daemon) through the same pool, failover and stats as the API
   * routes; it shows in the requests log under its `source`. Failures reject with a PromptError.
   */
  runPrompt: RunPrompt;
  dispose(): void;
}

export {
  PromptError,
  type PromptAnswer,
  type PromptOptions,
  type PromptRequest,
  type PromptSource,
} from './server/promptRunner.ts';

export {
  checkStoredCredential,
  type CredentialCheck,
  type StoredCredentialCheckOptions,
} from './accounts/credentialCheck.ts';
export type { ListenOverrides } from './config/coreSettings.ts';

/** The stored settings' names, for hosts and tests. */
export * from './config/settingKeys.ts';

/** The team's client keys, the usage ledger and Redis, for the `keys`, `usage` and `serve` commands. */
export * from './teamSurface.ts';

/** The ports' implementations hosts choose from (`../hostStores.ts`), and the logger. */
export { createFileSecretStore } from './secrets/fileSecretStore.ts';
export { createKeychainSecretStore, KeychainUnavailableError } from './secrets/keychainSecretStore.ts';
export { createMemorySecretStore } from './secrets/memorySecretStore.ts';
export { createJsonSettingsStore } from './settings/jsonSettingsStore.ts';
export { createLogger, silentLogger } from './logging/createLogger.ts';

/** Binding the app, the client key, the proxy's address, Claude Code setup, the dashboard's CSP. */
export { listen, type RunningServer } from './server/listen.ts';
export { resolveClientKey, type ResolvedClientKey } from './config/clientKey.ts';
export { storedListen, type ListenAddress } from './config/storedSettings.ts';
export { claudeCodeSetupView, proxyBaseUrl } from './config/claudeCodeSetup.ts';
export { DASHBOARD_CSP } from './server/dashboardStatic.ts';

/** Accounts, for the `accounts` commands and the desktop's notifications. */
export type { AccountRecord, AccountSecrets, AccountState, AuthMethod } from './accounts/accountModel.ts';
export type { NewAccount } from './accounts/accountRepository.ts';
export type { AccountPool, PoolEvent } from './accounts/accountPool.ts';
export { apiKeyProblem, refreshTokenProblem } from './accounts/refreshTokenCheck.ts';
export { importIdeLogin, importKiroCliLogins, type AccountImportResult } from './accounts/accountImport.ts';

export function createCore(options: CoreOptions): Core {
  const clock = options.clock ?? systemClock;
  const { logger } = options;
  // One guarded view of the settings file for every part of the core: a hand edit that leaves it unreadable
  // must neither crash the proxy (change listeners read from timers) nor fail requests.
  // A bad value (a timeout of weeks, a hand-written "false") counts as absent: the default applies.
  const { sharedAccounts } = options;
  const storedSettings = sharedAccounts
    ? routeSettings(options.settings, { keys: ACCOUNT_SETTING_KEYS, store: sharedAccounts.settings })
    : options.settings;
  const settingsStore = createCheckedSettingsStore(
    createLastGoodSettingsStore(storedSettings, {
      keys: [...CORE_SETTING_KEYS, ACCOUNTS_SETTING, ACCOUNT_STATES_SETTING, CLIENT_KEYS_SETTING],
      onUnreadable: (error) =>
        logger.warn(
          { error: errorMessage(error) },
          'settings file unreadable: keeping the last settings read',
        ),
    }),
    ({ key, value, problem }) =>
      logger.warn(
        { setting: key, value: JSON.stringify(value)?.slice(0, 200), problem },
        `settings file: ${key} ${problem}; using the default instead`,
      ),
  );
  const client = createKiroClient({
    endpoints: resolveKiroEndpoints({ region: options.region, upstreamUrl: options.upstreamUrl }),
    // Stored settings (settings.json `timeouts`) win over the host's defaults.
    timeouts: effectiveTimeouts(settingsStore, options.timeouts),
    clock,
  });
  const stats = createRequestStats({ clock });
  const repository = createAccountRepository({
    settings: settingsStore,
    secrets: sharedAccounts?.secrets ?? options.secrets,
    clock,
  });
  const pool = createAccountPool({
    ...options.poolLimits,
    clock,
    strategy: storedStrategy(settingsStore) ?? 'sequential',
  });
  pool.onEvent((event) => {
    if (event.type === 'state') {
      logger.info({ account: event.accountId, from: event.from.kind, to: event.to }, 'account state changed');
    }
  });
  const accounts = createAccountService({
    repository,
    pool,
    client,
    clock,
    logger,
    kiroAuthDir: options.kiroAuthDir,
    ideWriteBack: () => settings.ideWriteBack(),
    pinnedChatHost: () => {
      const pinned = settingsStore.get<string>(SETTING_CHAT_HOST);
      return pinned === 'q' || pinned === 'runtime' ? pinned : undefined;
    },
    quotaIntervalMs: options.quotaIntervalMs,
    onRefresh: (accountId, outcome) => stats.recordRefresh(accountId, outcome),
    refreshLock: sharedAccounts?.refreshLock,
    poolSignals: sharedAccounts?.poolSignals,
  });
  const stopPoolGauges = followPoolGauges(pool, stats);
  const responseCache = createResponseCache({
    settings: effectiveResponseCache(settingsStore, options.responseCache),
    now: () => clock.now(),
    store: options.sharedTeamState?.answerStore,
  });
  responseCache.onResult = (result, bytes) => {
    if (result !== 'bypass') stats.recordCache('response', result, bytes);
  };
  responseCache.onSizeChange = (entries, bytes) => stats.setCacheSize('response', entries, bytes);
  const clientKey = createClientKeyHolder({
    key: options.clientKey,
    store: options.secrets,
    regenerable: options.clientKeyFromEnvironment !== true,
  });
  const settings = createCoreSettings({
    store: settingsStore,
    client,
    pool,
    responseCache,
    logger,
    clientKey,
    defaults: { timeouts: options.timeouts, responseCache: options.responseCache },
  });
  const stopWatchingSettings = settingsStore.onExternalChange(() => settings.reload());
  // Labels for the requests log, kept in memory: reading the account list per request copies all of it.
  let accountLabels = new Map<string, string>();
  const readAccountLabels = () => {
    accountLabels = new Map(repository.list().map((record) => [record.id, record.label]));
  };
  readAccountLabels();
  const stopFollowingLabels = repository.onChange(readAccountLabels);
  const isAdminToken = matchesAdminToken(options.adminToken);
  const login = createDashboardLogin({ clock, isAdminToken });
  const verifyToken = (presented: string) => isAdminToken(presented) || login.isSession(presented);
  const recentRequests = createRecentRequests(RECENT_REQUESTS_KEPT);
  const refusedClientKeys = createRefusedClientKeys({ clock, logger, recentRequests });
  const { usageLedger: ledger, sharedTeamState: shared } = options;
  const team = createTeamAccess({ settings: settingsStore, clock, logger, ledger, shared });
  const recordRequest = createRequestRecorder({
    onUsage: (row) => team.onUsage(row),
    logger,
    stats,
    recentRequests,
    clock,
    accountLabel: (accountId) => accountLabels.get(accountId),
    capturePrompts: () => settings.capturePrompts(),
    chargeCredits: (accountId, credits) => accounts.chargeCredits(accountId, credits),
  });
  const models = createModelCatalogue({ client, accounts, now: () => clock.now() });
  const turnDeps = {
    client,
    accounts: withAttemptReporting(accounts, stats),
    logger,
    clock,
    pacer: createThrottlePacer({ clock }),
    calibration: createInputTokenCalibration(),
  };
  const signInSessions = createSignInSessions({
    deps: { repository, clock, endpoints: resolveSignInEndpoints(options.upstreamUrl) },
    logger,
    onSignedIn: async (accountId) => {
      await accounts.reload();
      // Signed in again: the login that had died works now.
      if (pool.get(accountId)?.state.kind === 'needs_relogin') pool.setState(accountId, { kind: 'active' });
    },
  });
  const serverSettings = { modelAliases: {}, ...options.server };
  const app = createApp({
    clientKey: () => clientKey.current(),
    teamKeys: { identify: (presented) => team.keys.identify(presented), policy: team.policy },
    admin: {
      team,
      verifyToken,
      login,
      recentRequests,
      refusedClientKeys: () => refusedClientKeys.summary(),
      settings,
      clientKey,
      claudeSettingsPath: options.claudeSettingsPath,
      proxyBaseUrl: () => proxyBaseUrl(settings.listening() ?? storedListen(settingsStore)),
      accounts,
      repository,
      clock,
      logger,
      saveStrategy: (strategy) => settings.apply({ poolStrategy: strategy }),
      kiroAuthDir: options.kiroAuthDir,
      kiroCliDatabasePaths: options.kiroCliDatabasePaths,
      statsReport: () => stats.report('15m'),
      signIn: signInSessions,
      client,
    },
    context: {
      turnDeps,
      settings: serverSettings,
      logger,
      version: options.version,
      startedAt: clock.now(),
      recordRequest: (req, record) => recordRequest(httpOrigin(req), record),
      responseCache,
      models,
    },
    stats: { stats, verifyAdminToken: verifyToken, metricsPublic: () => settings.metricsPublic() },
    dashboardDir: options.dashboardDir,
    refusedClientKeys,
  });
  return {
    app,
    client,
    repository,
    accounts,
    pool,
    stats,
    responseCache,
    settings,
    team,
    start: () => accounts.start(),
    setListening: (address, overridden) => settings.setListening(address, overridden),
    mintDashboardLogin: () => login.mint(),
    resumedFromSleep: () => clock.resumed(),
    runPrompt: createPromptRunner({
      turnDeps,
      stats,
      recordRequest,
      modelAliases: serverSettings.modelAliases,
      models,
    }),
    dispose() {
      team.dispose();
      signInSessions.dispose();
      stopFollowingLabels();
      login.clear();
      stopWatchingSettings();
      stopPoolGauges();
      accounts.dispose();
      client.close();
    },
  };
}

/** Signing in to Kiro from Kiro Dock (CLI, dashboard, tray): docs/sign-in.md. */
export { signIn, type SignInRequest, type SignInHooks, type SignInResult } from './signin/signIn.ts';
export { SignInError, type SignInFailure } from './signin/signInError.ts';
export { resolveSignInEndpoints, type SignInEndpoints } from './signin/signInEndpoints.ts';
export { BUILDER_ID_START_URL, type DevicePrompt } from './signin/deviceFlow.ts';
export type { SocialPrompt } from './signin/socialFlow.ts';
export { createAccountRepository, type AccountRepository } from './accounts/accountRepository.ts';
export { parseBatch };
export type { BatchImportItem };

/**
 * Batch import outside a running core (the CLI): its own Kiro client, closed when done. Each entry is proven
 * with one refresh, as in the dashboard (docs/batch-import.md).
 */
export async function importManyLogins(
  deps: { repository: AccountRepository; upstreamUrl?: string; clock?: Clock },
  text: string,
  onProgress: (items: BatchImportItem[]) => void,
  signal?: AbortSignal,
) {
  const clock = deps.clock ?? systemClock;
  const client = createKiroClient({
    endpoints: resolveKiroEndpoints({ upstreamUrl: deps.upstreamUrl }),
    clock,
  });
  try {
    return await runBatchImport(
      { repository: deps.repository, client, clock },
      parseBatch(text),
      onProgress,
      signal,
    );
  } finally {
    client.close();
  }
}
