/**
 * One refresh of one account's access token, in the order that never loses a login. For a Kiro IDE account
 * the IDE's file is re-read first (the IDE may have refreshed already, and a rotated refresh token would make
 * ours dead). Kiro rotates refresh tokens and the old one dies as it answers, so the answer goes to the refresh
 * journal before anything else is done with it (refreshJournal.ts); then to the account's main record, before
 * anything uses the new access token; then to the IDE's file, so the IDE stays signed in; only then is the
 * journal cleared. A rejected token does not end it yet: the journal's and the IDE file's are tried once each.
 */
import type { KiroClient, RefreshedToken } from '../kiro/kiroClient.ts';
import { UpstreamError } from '../kiro/upstreamError.ts';
import type { Clock, Logger, RefreshLock } from '../ports.ts';
import type { AccountRecord, AccountSecrets } from './accountModel.ts';
import type { AccountRepository } from './accountRepository.ts';
import { AccountUnavailableError } from './accountUnavailableError.ts';
import { readKiroAuthFile, writeBackKiroAuthFile } from './kiroAuthFile.ts';
import { machineIdFor } from './accountCredential.ts';
import { refreshWithCandidates, type RefreshTokenSource } from './refreshCandidates.ts';
import type { RefreshJournalEntry } from './refreshJournal.ts';
import { tokenExpiryAfter } from '../time/outsideTime.ts';
import { awaitRefreshElsewhere, isRefreshFromElsewhere } from './refreshedElsewhere.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

/** A token with less than this left is refreshed before use. */
export const MIN_TOKEN_LIFETIME_MS = 60_000;

export interface AccountRefreshDeps {
  repository: AccountRepository;
  client: KiroClient;
  clock: Clock;
  logger: Logger;
  /** Write refreshed tokens back to the Kiro IDE's file (shared login) — the default. */
  ideWriteBack: () => boolean;
  /** Held around each refresh (ports.ts); undefined: none beyond the scheduler's one refresh per account. */
  refreshLock?: RefreshLock;
}

/** A refresh answer as it came in, with what it took. */
interface ReceivedAnswer {
  refreshed: RefreshedToken;
  /** The token the successful request was made with. */
  sentRefreshToken: string;
  source: RefreshTokenSource;
  /** Monotonic ms: the successful request was sent, its answer parsed. */
  sentAt: number;
  receivedAt: number;
}

/**
 * Refreshes the account under the refresh lock. `replacing` is the access token the caller wants replaced (the
 * one it holds); undefined: the stored one as read before waiting for the lock. If, once the lock is held, the
 * store has another access token with time to live, another holder (a replica) refreshed meanwhile: that token
 * is used and Kiro is not called, since a second refresh would rotate the refresh token under the other holder.
 */
export async function refreshAccount(
  deps: AccountRefreshDeps,
  record: AccountRecord,
  replacing?: string,
): Promise<AccountSecrets> {
  if (!deps.refreshLock) return refreshHeld(deps, record, replacing);
  const replaced = replacing ?? (await deps.repository.readSecrets(record.id))?.accessToken;
  return deps.refreshLock.withLock(record.id, () => refreshHeld(deps, record, replaced));
}

async function refreshHeld(
  deps: AccountRefreshDeps,
  record: AccountRecord,
  replacing: string | undefined,
): Promise<AccountSecrets> {
  let stored = (await deps.repository.readSecrets(record.id)) ?? {};
  if (refreshedMeanwhile(stored, replacing, deps.clock.now())) {
    deps.logger.info(
      { account: record.id },
      'refreshed meanwhile by another holder of its lock: tokens reused',
    );
    return stored;
  }
  if (record.source === 'kiro-ide' && record.sourcePath) {
    const fromIde = await adoptIdeRefresh(deps, record, stored);
    if (fromIde?.fresh) return fromIde.secrets;
    stored = fromIde?.secrets ?? stored;
  }
  const answer = await refreshOrAdopt(deps, record, stored);
  if ('adopted' in answer) return answer.adopted;
  const journaled = await journalFirst(deps, record.id, answer);
  const { entry } = journaled;
  const next: AccountSecrets = {
    ...stored,
    accessToken: entry.accessToken,
    refreshToken: entry.refreshToken,
    expiresAt: entry.expiresAt,
  };
  await deps.repository.writeSecrets(record.id, next);
  if (entry.profileArn && entry.profileArn !== record.profileArn) {
    deps.repository.update(record.id, { profileArn: entry.profileArn });
  }
  await writeBackToIde(deps, record, entry, Boolean(answer.refreshed.refreshToken));
  await clearJournal(deps, record.id);
  deps.logger.info(
    {
      account: record.id,
      authMethod: record.authMethod,
      rotated: Boolean(answer.refreshed.refreshToken),
      ...(answer.source !== 'stored' && { refreshTokenFrom: answer.source }),
      // The window in which a crash loses a rotated token: the round trip, then the journal write.
      roundTripMs: roundedMs(answer.receivedAt - answer.sentAt),
      journalCallMs: roundedMs(journaled.calledAt - answer.receivedAt),
      journalMs: roundedMs(journaled.storedAt - answer.receivedAt),
    },
    'token refreshed',
  );
  return next;
}

function refreshedMeanwhile(stored: AccountSecrets, replacing: string | undefined, now: number): boolean {
  if (replacing === undefined || !stored.accessToken || stored.accessToken === replacing) return false;
  return (stored.expiresAt ?? 0) - now >= MIN_TOKEN_LIFETIME_MS;
}

/**
 * A refresh, or the tokens of another process's refresh when Kiro refused ours because that refresh had just
 * rotated the token (refreshedElsewhere.ts).
 */
async function refreshOrAdopt(
  deps: AccountRefreshDeps,
  record: AccountRecord,
  stored: AccountSecrets,
): Promise<ReceivedAnswer | { adopted: AccountSecrets }> {
  try {
    return await refreshWithFallback(deps, record, stored);
  } catch (error) {
    if (!isRejection(error)) throw error;
    const adopted = await awaitRefreshElsewhere(deps, record.id, stored, MIN_TOKEN_LIFETIME_MS);
    if (!adopted) throw error;
    deps.logger.info({ account: record.id }, 'another process refreshed this account: its tokens adopted');
    return { adopted };
  }
}

const isRejection = (error: unknown) => error instanceof UpstreamError && error.kind === 'refresh_rejected';

/** The stored token first; when Kiro rejects it, the journal's and the IDE file's, once each, newest first. */
async function refreshWithFallback(
  deps: AccountRefreshDeps,
  record: AccountRecord,
  stored: AccountSecrets,
): Promise<ReceivedAnswer> {
  let sentAt = 0;
  const { result, candidate } = await refreshWithCandidates({
    stored: stored.refreshToken,
    fallbacks: () => fallbackTokens(deps, record, stored),
    attempt: (refreshToken) => {
      sentAt = deps.clock.monotonicNow();
      return callRefresh(deps.client, record, stored, refreshToken);
    },
    isRejection,
    noToken: () =>
      new AccountUnavailableError('needs_relogin', `Account "${record.label}" has no refresh token.`),
    onRejected: (source) => deps.logger.warn({ account: record.id, source }, 'refresh token rejected'),
  });
  const receivedAt = deps.clock.monotonicNow();
  return {
    refreshed: result,
    sentRefreshToken: candidate.refreshToken,
    source: candidate.source,
    sentAt,
    receivedAt,
  };
}

/**
 * Read only after a rejection: the usual refresh touches neither the journal nor the IDE's file. A journal entry
 * that another process's refresh has just written is not refreshed again: it is adopted (refreshOrAdopt).
 */
async function fallbackTokens(deps: AccountRefreshDeps, record: AccountRecord, stored: AccountSecrets) {
  const entry = await deps.repository.journal.read(record.id).catch(() => undefined);
  const elsewhere = isRefreshFromElsewhere(
    entry,
    stored.refreshToken,
    deps.clock.now(),
    MIN_TOKEN_LIFETIME_MS,
  );
  const journal = elsewhere ? undefined : entry;
  const ideFile =
    record.source === 'kiro-ide' && record.sourcePath ? await readKiroAuthFile(record.sourcePath) : undefined;
  return {
    journal: journal?.refreshToken,
    'journal-previous': journal?.previousRefreshToken,
    'ide-file': ideFile?.refreshToken,
  };
}

function journalEntryOf(answer: ReceivedAnswer, now: number): RefreshJournalEntry {
  const entry: RefreshJournalEntry = {
    receivedAt: now,
    accessToken: answer.refreshed.accessToken,
    refreshToken: answer.refreshed.refreshToken ?? answer.sentRefreshToken,
    expiresAt: tokenExpiryAfter(answer.refreshed.expiresInSeconds, now),
    previousRefreshToken: answer.sentRefreshToken,
  };
  if (answer.refreshed.profileArn) entry.profileArn = answer.refreshed.profileArn;
  return entry;
}

/**
 * The first thing done with an answer. If the store refuses it, the main record is still written next: the
 * journal only narrows the window in which a crash loses the token, it does not decide whether to keep it.
 */
async function journalFirst(
  deps: AccountRefreshDeps,
  accountId: string,
  answer: ReceivedAnswer,
): Promise<{ entry: RefreshJournalEntry; calledAt: number; storedAt: number }> {
  const entry = journalEntryOf(answer, deps.clock.now());
  const writing = deps.repository.journal.write(accountId, entry);
  // With the file store the entry is in the kernel (safe from a kill) once the call has returned.
  const calledAt = deps.clock.monotonicNow();
  try {
    await writing;
  } catch (error) {
    deps.logger.warn({ account: accountId, error: errorMessage(error) }, 'refresh journal write failed');
  }
  return { entry, calledAt, storedAt: deps.clock.monotonicNow() };
}

/** Both stores hold the new tokens now; a journal left behind would only be replayed as a no-op. */
async function clearJournal(deps: AccountRefreshDeps, accountId: string): Promise<void> {
  try {
    await deps.repository.journal.clear(accountId);
  } catch (error) {
    deps.logger.warn({ account: accountId, error: errorMessage(error) }, 'refresh journal clean-up failed');
  }
}

async function writeBackToIde(
  deps: AccountRefreshDeps,
  record: AccountRecord,
  entry: RefreshJournalEntry,
  rotated: boolean,
): Promise<void> {
  if (record.source !== 'kiro-ide' || !record.sourcePath || !deps.ideWriteBack()) return;
  await writeBackKiroAuthFile(record.sourcePath, {
    accessToken: entry.accessToken,
    refreshToken: rotated ? entry.refreshToken : undefined,
    expiresAtMs: entry.expiresAt,
    profileArn: entry.profileArn,
  });
}

/**
 * The IDE refreshed (or re-logged in) since we last looked: take its tokens, and refresh only if its access
 * token is about to expire too. A file older than what we hold (ours was refreshed and the write-back is off,
 * or a crash came before it) is left alone: its refresh token is the one ours replaced.
 */
async function adoptIdeRefresh(
  deps: AccountRefreshDeps,
  record: AccountRecord,
  stored: AccountSecrets,
): Promise<{ secrets: AccountSecrets; fresh: boolean } | undefined> {
  const onDisk = await readKiroAuthFile(record.sourcePath!);
  if (!onDisk || onDisk.accessToken === stored.accessToken) return undefined;
  if (onDisk.expiresAtMs < (stored.expiresAt ?? 0)) return undefined;
  const fresh = onDisk.expiresAtMs - deps.clock.now() > MIN_TOKEN_LIFETIME_MS;
  if (!fresh && onDisk.refreshToken === stored.refreshToken) return undefined;
  const next: AccountSecrets = {
    ...stored,
    accessToken: onDisk.accessToken,
    refreshToken: onDisk.refreshToken || stored.refreshToken,
    expiresAt: onDisk.expiresAtMs,
    clientId: onDisk.clientId ?? stored.clientId,
    clientSecret: onDisk.clientSecret ?? stored.clientSecret,
  };
  await deps.repository.writeSecrets(record.id, next);
  // A newer refresh token from the IDE but an expired access token: the refresh goes on with the IDE's token.
  return { secrets: next, fresh };
}

async function callRefresh(
  client: KiroClient,
  record: AccountRecord,
  secrets: AccountSecrets,
  refreshToken: string,
): Promise<RefreshedToken> {
  if (record.authMethod === 'social') {
    return client.refreshSocialToken(refreshToken, machineIdFor(secrets, record.id));
  }
  if (record.authMethod === 'idc') {
    if (!secrets.clientId || !secrets.clientSecret) {
      throw new AccountUnavailableError(
        'needs_relogin',
        `Account "${record.label}" (IdC) has no client registration: sign in again.`,
      );
    }
    return client.refreshIdcToken({
      clientId: secrets.clientId,
      clientSecret: secrets.clientSecret,
      refreshToken,
      region: record.authRegion ?? record.region,
    });
  }
  throw new AccountUnavailableError(
    'needs_relogin',
    record.authMethod === 'external_idp'
      ? `Account "${record.label}" signs in through your organisation's identity provider, which Kiro Dock ` +
          'cannot refresh yet: its token is used until it expires; then sign in to Kiro IDE again.'
      : `Account "${record.label}" (${record.authMethod}) cannot be refreshed by Kiro Dock: sign in again.`,
  );
}

function roundedMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
