/**
 * The first check of a new credential: one refresh for a refresh token (its answer stored the way every
 * refresh is, since Kiro rotates the token as it answers), one usage read for an API key, which has nothing to
 * refresh. Only what Kiro answers decides: a token or key it refuses is rejected with its reason and the
 * account needs a new login; a call that got no answer (network, timeout, a 5xx) leaves the account as it was.
 */
import { createKiroClient, type KiroClient } from '../kiro/kiroClient.ts';
import { resolveKiroEndpoints } from '../kiro/kiroEndpoints.ts';
import { UpstreamError } from '../kiro/upstreamError.ts';
import { silentLogger } from '../logging/createLogger.ts';
import { systemClock, type Clock, type Logger, type RefreshLock } from '../ports.ts';
import { AccountNotFoundError } from './accountErrors.ts';
import type { AccountRecord, AccountState } from './accountModel.ts';
import { machineIdFor } from './accountCredential.ts';
import { refreshAccount, type AccountRefreshDeps } from './accountRefresh.ts';
import type { AccountPool } from './accountPool.ts';
import type { AccountRepository } from './accountRepository.ts';
import type { QuotaMonitor } from './quotaMonitor.ts';
import type { RefreshScheduler } from './refreshScheduler.ts';
import { AccountUnavailableError } from './accountUnavailableError.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export type CredentialCheck =
  | { outcome: 'accepted' }
  | { outcome: 'rejected'; reason: string; state: AccountState }
  | { outcome: 'unchecked'; reason: string };

export async function checkCredential(
  deps: AccountRefreshDeps,
  record: AccountRecord,
): Promise<CredentialCheck> {
  try {
    if (record.authMethod === 'api_key') await readUsageWithKey(deps, record);
    else await refreshAccount(deps, record);
    return { outcome: 'accepted' };
  } catch (error) {
    const reason = errorMessage(error);
    if (!isRejection(error)) return { outcome: 'unchecked', reason };
    return { outcome: 'rejected', reason, state: rejectedState(record, reason) };
  }
}

/** Kiro answered, and its answer is no: the credential will not start working by waiting. */
export function isRejection(error: unknown): boolean {
  if (error instanceof AccountUnavailableError) return error.problem !== 'refresh_failed';
  return (
    error instanceof UpstreamError &&
    (error.kind === 'refresh_rejected' || error.kind === 'invalid_token' || error.kind === 'suspended')
  );
}

/** What to do about a rejected credential depends on where it came from. */
export function rejectedState(record: AccountRecord | undefined, reason: string): AccountState {
  const howToFix = record?.signIn
    ? `Use "Sign in again" on the Accounts page, or run kiro-dock accounts login --account ${record.id}.`
    : record?.source === 'kiro-ide'
      ? 'Sign in to Kiro IDE again.'
      : record?.source === 'kiro-cli'
        ? 'Sign in again with `kiro-cli login`, then re-import.'
        : record?.authMethod === 'api_key'
          ? 'Add the account again with a valid ksk_ API key.'
          : 'Add the account again with a new refresh token.';
  return { kind: 'needs_relogin', reason, howToFix };
}

async function readUsageWithKey(deps: { client: KiroClient } & AccountRefreshDeps, record: AccountRecord) {
  const secrets = (await deps.repository.readSecrets(record.id)) ?? {};
  if (!secrets.apiKey)
    throw new AccountUnavailableError('needs_relogin', `Account "${record.label}" has no API key stored.`);
  await deps.client.getUsageLimits({
    accessToken: secrets.apiKey,
    isApiKey: true,
    profileArn: record.profileArn,
    machineId: machineIdFor(secrets, record.id),
  });
}

export interface PooledCredentialDeps {
  repository: AccountRepository;
  pool: AccountPool;
  scheduler: Pick<RefreshScheduler, 'refreshNow'>;
  quotas: Pick<QuotaMonitor, 'read' | 'checkNow'>;
  /** Marks the account as needing a new login (in the pool and the store). */
  markRejected(accountId: string, reason: string): void;
}

/** The check inside a running core: through its one-refresh-at-a-time scheduler and its quota reads. */
export async function verifyPooledCredential(
  deps: PooledCredentialDeps,
  accountId: string,
): Promise<CredentialCheck> {
  const { repository, pool } = deps;
  const record = repository.get(accountId);
  if (!record) throw new AccountNotFoundError(accountId);
  const failure =
    record.authMethod === 'api_key'
      ? await deps.quotas.read(accountId).then((answer) => ('error' in answer ? answer.error : undefined))
      : await deps.scheduler.refreshNow(accountId).then(
          () => deps.quotas.checkNow(accountId).then(() => undefined),
          (error: unknown) => error ?? new Error('refresh failed'),
        );
  if (failure === undefined) {
    if (pool.get(accountId)?.state.kind === 'needs_relogin') pool.setState(accountId, { kind: 'active' });
    repository.persistState(accountId, undefined);
    return { outcome: 'accepted' };
  }
  const reason = errorMessage(failure);
  if (!isRejection(failure)) return { outcome: 'unchecked', reason };
  pool.recordError(accountId, reason);
  // The scheduler has marked a rejected refresh already; a refused key is marked here.
  if (pool.get(accountId)?.state.kind !== 'needs_relogin') deps.markRejected(accountId, reason);
  const state = pool.get(accountId)?.state ?? rejectedState(record, reason);
  return { outcome: 'rejected', reason, state };
}

export interface StoredCredentialCheckOptions {
  repository: AccountRepository;
  /** Default: none (the caller reports the outcome). */
  logger?: Logger;
  upstreamUrl?: string;
  region?: string;
  clock?: Clock;
  /** The replicas' refresh lock when the account is shared on Redis (`kiro-dock accounts add --redis-url`). */
  refreshLock?: RefreshLock;
}

/**
 * For a host that adds an account without running the core (`kiro-dock accounts add`): checks it with a Kiro
 * client of its own, and keeps a rejection in the account's stored state, where `serve` and the dashboard find it.
 */
export async function checkStoredCredential(
  options: StoredCredentialCheckOptions,
  accountId: string,
): Promise<CredentialCheck> {
  const record = options.repository.get(accountId);
  if (!record) throw new AccountNotFoundError(accountId);
  const clock = options.clock ?? systemClock;
  const endpoints = resolveKiroEndpoints({ region: options.region, upstreamUrl: options.upstreamUrl });
  const client = createKiroClient({ endpoints, clock });
  try {
    const logger = options.logger ?? silentLogger();
    const deps = {
      repository: options.repository,
      logger,
      client,
      clock,
      ideWriteBack: () => true,
      refreshLock: options.refreshLock,
    };
    const check = await checkCredential(deps, record);
    options.repository.persistState(accountId, check.outcome === 'rejected' ? check.state : undefined);
    return check;
  } finally {
    client.close();
  }
}
