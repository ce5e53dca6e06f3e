/**
 * The accounts as the request path sees them: lease an account with a usable token, refresh it once when Kiro
 * rejects the token, park it when it fails. Behind that it keeps the pool in step with the stored accounts and
 * the Kiro IDE's login, refreshes tokens ahead of expiry (requests never wait for that in steady state), and
 * reads quotas.
 */
import type { KiroClient, KiroCredential } from '../kiro/kiroClient.ts';
import type { Clock, ClockJump, Logger, RefreshLock } from '../ports.ts';
import {
  isLastingState,
  type AccountRecord,
  type AccountSecrets,
  type AccountState,
  type QuotaSnapshot,
} from './accountModel.ts';
import { NoAccountAvailableError } from './accountErrors.ts';
import { rejectedState, verifyPooledCredential, type CredentialCheck } from './credentialCheck.ts';
import type { AccountPool } from './accountPool.ts';
import { refreshAccount, MIN_TOKEN_LIFETIME_MS } from './accountRefresh.ts';
import { usableCredential } from './accountCredential.ts';
import type { AccountRepository } from './accountRepository.ts';
import { AccountUnavailableError } from './accountUnavailableError.ts';
import { syncIdeLogin } from './ideLoginSync.ts';
import { watchKiroAuthDir } from './kiroAuthDirWatcher.ts';
import { createQuotaMonitor, type QuotaMonitor } from './quotaMonitor.ts';
import { replayRefreshJournals } from './refreshJournalReplay.ts';
import { createRefreshScheduler, type RefreshScheduler } from './refreshScheduler.ts';
import { UpstreamError } from '../kiro/upstreamError.ts';
import { boundedTokenExpiry } from '../time/outsideTime.ts';
import { PROVISIONAL_EXHAUSTION_MS } from './failoverPolicy.ts';
import { createChatHostChooser } from './chatHostChooser.ts';
import { serialRun } from './serialRun.ts';
import { createInProcessRefreshLock } from './inProcessRefreshLock.ts';
import { followPoolSignals, type PoolSignals } from './poolSignals.ts';
import type { ChatHostFamily } from '../kiro/kiroEndpoints.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export interface AccountLease {
  accountId: string;
  credential: KiroCredential;
  release(): void;
}

export interface AccountServiceOptions {
  repository: AccountRepository;
  pool: AccountPool;
  client: KiroClient;
  clock: Clock;
  logger: Logger;
  /** The Kiro IDE's login folder; undefined: no IDE account. */
  kiroAuthDir?: string;
  ideWriteBack?: () => boolean;
  quotaIntervalMs?: number;
  /** The host every account must chat on (the chatHost setting); undefined: each account's probed host. */
  pinnedChatHost?: () => ChatHostFamily | undefined;
  /** Told of every token refresh that ended: 'rejected' when the refresh token itself is dead. */
  onRefresh?(accountId: string, outcome: 'ok' | 'failed' | 'rejected'): void;
  /** Held around each refresh; replicas share one on Redis. Default: this process's own. */
  refreshLock?: RefreshLock;
  /** Cooldowns, quota reads and conversations shared with the other replicas; undefined: this process only. */
  poolSignals?: PoolSignals;
}

export interface AccountService {
  start(): Promise<void>;
  lease(options: {
    sessionKey?: string;
    exclude: ReadonlySet<string>;
    signal?: AbortSignal;
  }): Promise<AccountLease>;
  forceRefresh(accountId: string, rejected: KiroCredential): Promise<KiroCredential>;
  /** After a failed attempt: set the account's state, and confirm a quota error with getUsageLimits. */
  reportFailure(
    accountId: string,
    error: unknown,
    state: AccountState | undefined,
    checkQuota: boolean,
  ): void;
  reportSuccess(accountId: string): void;
  consecutiveThrottles(accountId: string): number;
  /** A turn cost these credits (its meteringEvents): the quota shown moves on until the next getUsageLimits. */
  chargeCredits(accountId: string, credits: number): void;
  hasOtherEligible(exclude: ReadonlySet<string>): boolean;
  /** How many accounts are configured (any state). */
  accountCount(): number;
  checkQuota(accountId: string): Promise<QuotaSnapshot | undefined>;
  /** Refreshes the account's token now (the user asked), then its quota. */
  refreshNow(accountId: string): Promise<void>;
  /**
   * Asks Kiro whether the account's credential works (a refresh, or a quota read for an API key): a new account,
   * or the user's "refresh now". A refusal leaves the account needing a new login, with Kiro's reason.
   */
  verifyCredential(accountId: string): Promise<CredentialCheck>;
  /** Re-reads accounts from the store (another process changed them) and the IDE login. */
  reload(): Promise<void>;
  readonly pool: AccountPool;
  dispose(): void;
}

export function createAccountService(options: AccountServiceOptions): AccountService {
  const { repository, pool, clock, logger, poolSignals: signals } = options;
  const secretsCache = new Map<string, AccountSecrets>();
  /**
   * Records as of the last sync: the request path must not read the settings file (a file store nobody watches
   * reads it on every get).
   */
  const records = new Map<string, AccountRecord>();
  const throttles = new Map<string, number>();
  const disposers: Array<() => void> = [];
  const refreshDeps = {
    repository,
    client: options.client,
    clock,
    logger,
    ideWriteBack: options.ideWriteBack ?? (() => true),
    refreshLock: options.refreshLock ?? createInProcessRefreshLock(),
  };

  const hosts = createChatHostChooser({
    repository,
    client: options.client,
    clock,
    logger,
    pinned: options.pinnedChatHost ?? (() => undefined),
  });

  const scheduler: RefreshScheduler = createRefreshScheduler({
    clock,
    refresh: async (accountId) => {
      const record = repository.get(accountId);
      if (!record) throw new AccountUnavailableError('no_account', `Account ${accountId} was removed.`);
      // The token this process holds is the one to replace: another holder of the lock may have done it already.
      const secrets = await refreshAccount(refreshDeps, record, secretsCache.get(accountId)?.accessToken);
      secretsCache.set(accountId, secrets);
      pool.setExpiresAt(accountId, secrets.expiresAt);
      if (pool.get(accountId)?.state.kind === 'needs_relogin') pool.setState(accountId, { kind: 'active' });
      options.onRefresh?.(accountId, 'ok');
      return { expiresAt: secrets.expiresAt ?? clock.now() };
    },
    isPermanentFailure: (error) =>
      error instanceof AccountUnavailableError
        ? error.problem !== 'refresh_failed'
        : error instanceof UpstreamError && error.kind === 'refresh_rejected',
    onFailure: (accountId, error, permanent) => {
      const message = errorMessage(error);
      pool.recordError(accountId, message);
      logger.warn({ account: accountId, permanent, error: message }, 'token refresh failed');
      options.onRefresh?.(accountId, permanent ? 'rejected' : 'failed');
      if (permanent) setNeedsRelogin(accountId, message);
    },
  });

  const quotaIntervalMs = options.quotaIntervalMs ?? 5 * 60_000;
  const quotas: QuotaMonitor = createQuotaMonitor({
    clock,
    logger,
    intervalMs: quotaIntervalMs,
    accounts: () =>
      pool
        .snapshot()
        .filter((account) => account.state.kind !== 'disabled')
        .map((a) => a.record.id),
    fetch: async (accountId) => options.client.getUsageLimits(await credentialFor(accountId)),
    onQuota: (accountId, quota) => applyQuota(accountId, quota),
    onFailure: (accountId, error) => pool.recordError(accountId, errorMessage(error)),
    // This replica's own last reading is an interval old when the sweep comes; one within half an interval came
    // from another replica.
    readLately: signals && ((accountId) => quotaAge(accountId) < quotaIntervalMs / 2),
  });

  function quotaAge(accountId: string): number {
    const fetchedAt = pool.get(accountId)?.quota?.fetchedAt;
    return fetchedAt === undefined ? Number.POSITIVE_INFINITY : clock.now() - fetchedAt;
  }

  /**
   * After sleep and wake (or a clock set by hand), tokens may have expired and quota windows ended while nothing
   * ran. The clock has already re-checked every cooldown and refresh deadline; tokens whose retry delay is still
   * running and every quota are checked here, so the first request after wake finds fresh tokens.
   */
  function recheckAfterJump(jump: ClockJump): void {
    logger.info(
      { wallShiftMs: Math.round(jump.wallShiftMs), resumed: jump.resumed === true },
      'the clock jumped (sleep and wake, or a clock change): re-checking tokens, cooldowns and quotas',
    );
    scheduler.recheckAll();
    quotas.sweepNow();
  }

  function setNeedsRelogin(accountId: string, reason: string): void {
    const state = rejectedState(repository.get(accountId), reason);
    pool.setState(accountId, state);
    repository.persistState(accountId, state);
  }

  const verifyCredential = (accountId: string) =>
    verifyPooledCredential({ repository, pool, scheduler, quotas, markRejected: setNeedsRelogin }, accountId);

  function applyQuota(accountId: string, quota: QuotaSnapshot): void {
    pool.setQuota(accountId, quota);
    signals?.publish({ type: 'quota', accountId, quota });
    const state = pool.get(accountId)?.state;
    const exhausted = quota.remaining <= 0 && !(quota.overageCapable && quota.overageEnabled);
    if (exhausted) {
      // resetsAt is a bounded date ahead (outsideTime.ts); without one, look again in an hour.
      const until = quota.resetsAt ?? clock.now() + PROVISIONAL_EXHAUSTION_MS;
      const exhaustedState: AccountState = {
        kind: 'exhausted',
        until,
        reason: `${quota.used} of ${quota.limit} credits used`,
      };
      pool.setState(accountId, exhaustedState);
      repository.persistState(accountId, exhaustedState);
    } else if (state?.kind === 'exhausted') {
      pool.setState(accountId, { kind: 'active' });
      if (repository.persistedState(accountId)?.kind === 'exhausted')
        repository.persistState(accountId, undefined);
    }
  }

  async function secretsOf(accountId: string): Promise<AccountSecrets> {
    const cached = secretsCache.get(accountId);
    if (cached) return cached;
    const secrets = (await repository.readSecrets(accountId)) ?? {};
    secretsCache.set(accountId, secrets);
    return secrets;
  }

  async function credentialFor(accountId: string): Promise<KiroCredential> {
    const record = records.get(accountId);
    if (!record) throw new AccountUnavailableError('no_account', `Account ${accountId} was removed.`);
    let ready = usableCredential(record, await secretsOf(accountId), clock.now(), MIN_TOKEN_LIFETIME_MS);
    if (!ready) {
      await scheduler.refreshNow(accountId);
      ready = usableCredential(record, await secretsOf(accountId), clock.now(), 0);
    }
    if (!ready)
      throw new AccountUnavailableError('refresh_failed', `Account "${record.label}" has no valid token.`);
    return { ...ready, chatHost: await hosts.hostFor(record, ready) };
  }

  async function syncFromStore(): Promise<void> {
    // Secrets may have been changed by another process (`kiro-dock accounts`, the IDE): read them afresh.
    secretsCache.clear();
    if (options.kiroAuthDir) {
      const result = await syncIdeLogin(repository, options.kiroAuthDir);
      if (result.kind === 'imported' || result.kind === 'updated') {
        secretsCache.delete(result.accountId);
        repository.persistState(result.accountId, undefined);
        if (pool.get(result.accountId)?.state.kind === 'needs_relogin')
          pool.setState(result.accountId, { kind: 'active' });
        logger.info({ account: result.accountId, change: result.kind }, 'Kiro IDE login synced');
      } else if (result.kind === 'signed_out' && pool.get(result.accountId)?.state.kind !== 'needs_relogin') {
        setNeedsRelogin(result.accountId, 'Kiro IDE is signed out.');
      }
    }
    const stored = repository.list();
    records.clear();
    for (const record of stored) records.set(record.id, record);
    const entries = await Promise.all(
      stored.map(async (record) => ({
        record,
        persistedState: repository.persistedState(record.id),
        expiresAt: boundedTokenExpiry((await secretsOf(record.id)).expiresAt, clock.now()),
      })),
    );
    pool.setAccounts(entries);
    for (const entry of entries) {
      if (entry.record.disabled || entry.persistedState?.kind === 'needs_relogin')
        scheduler.untrack(entry.record.id);
      else scheduler.track(entry.record.id, entry.expiresAt);
    }
  }

  /** With no account at all, look once more (the user may just have signed in to the IDE) before failing. */
  async function acquireOrRescan(request: Parameters<AccountPool['acquire']>[0]) {
    try {
      return await pool.acquire(request);
    } catch (error) {
      if (!(error instanceof NoAccountAvailableError) || pool.snapshot().length > 0) throw error;
      await reload();
      return pool.acquire(request);
    }
  }

  /** One sync at a time; a change noticed during one gets one more sync after it. */
  const reload = serialRun(syncFromStore);

  return {
    pool,
    async start() {
      // Before anything refreshes: a journal left by a crash may hold the only refresh token still alive.
      await replayRefreshJournals(refreshDeps);
      await reload();
      disposers.push(
        repository.onChange(
          () => void reload().catch((error) => logger.error({ error: errorMessage(error) }, 'reload failed')),
        ),
      );
      if (options.kiroAuthDir) {
        const watcher = watchKiroAuthDir(
          options.kiroAuthDir,
          () =>
            void reload().catch((error) =>
              logger.error({ error: errorMessage(error) }, 'IDE login sync failed'),
            ),
          { clock },
        );
        disposers.push(() => watcher.close());
      }
      if (signals) disposers.push(followPoolSignals(pool, signals, clock));
      quotas.start();
      disposers.push(clock.onJump((jump) => recheckAfterJump(jump)));
    },
    async lease({ sessionKey, exclude, signal }) {
      const tried = new Set(exclude);
      const sharedAccount = sessionKey === undefined ? undefined : await signals?.sessionAccount(sessionKey);
      for (;;) {
        const lease = await acquireOrRescan({ sessionKey, sharedAccount, exclude: tried, signal });
        try {
          const credential = await credentialFor(lease.accountId);
          if (sessionKey !== undefined) signals?.rememberSession(sessionKey, lease.accountId);
          return { accountId: lease.accountId, credential, release: () => lease.release() };
        } catch (error) {
          lease.release();
          // This account cannot serve now (its refresh failed); another may.
          tried.add(lease.accountId);
          logger.warn({ account: lease.accountId, error: errorMessage(error) }, 'account skipped');
        }
      }
    },
    async forceRefresh(accountId, rejected) {
      // Refused on this host: the next credential probes again, in case it is the wrong one.
      hosts.forget(accountId);
      const current = await secretsOf(accountId);
      if (current.accessToken && current.accessToken !== rejected.accessToken)
        return credentialFor(accountId);
      secretsCache.set(accountId, { ...current, expiresAt: 0 });
      return credentialFor(accountId);
    },
    reportFailure(accountId, error, state, checkQuota) {
      pool.recordError(accountId, errorMessage(error));
      if (error instanceof UpstreamError && error.kind === 'rate_limited') {
        throttles.set(accountId, (throttles.get(accountId) ?? 0) + 1);
      }
      if (state) {
        pool.setState(accountId, state);
        if (isLastingState(state)) repository.persistState(accountId, state);
        if (state.kind === 'cooling_down') signals?.publish({ type: 'cooldown', accountId, state });
      }
      if (checkQuota) void quotas.checkNow(accountId);
    },
    reportSuccess(accountId) {
      throttles.delete(accountId);
    },
    consecutiveThrottles: (accountId) => throttles.get(accountId) ?? 0,
    chargeCredits(accountId, credits) {
      const quota = pool.get(accountId)?.quota;
      if (quota === undefined || !(credits > 0)) return;
      const used = quota.used + credits;
      pool.setQuota(accountId, { ...quota, used, remaining: Math.max(0, quota.limit - used) });
    },
    hasOtherEligible: (exclude) =>
      pool.snapshot().some((account) => account.state.kind === 'active' && !exclude.has(account.record.id)),
    accountCount: () => records.size,
    checkQuota: (accountId) => quotas.checkNow(accountId),
    async refreshNow(accountId) {
      await scheduler.refreshNow(accountId);
      await quotas.checkNow(accountId);
    },
    verifyCredential,
    reload,
    dispose() {
      for (const dispose of disposers.splice(0)) dispose();
      quotas.dispose();
      scheduler.dispose();
      pool.dispose();
    },
  };
}
