/**
 * On start, before anything refreshes: a refresh journal left behind means the process died between a refresh
 * answer and the end of its bookkeeping. The journaled answer becomes the account's main record when it is
 * newer (the journal is written first, so a crash right after it leaves the main record one token behind),
 * and the IDE's file gets the same tokens, so the IDE does not refresh with a token that has died. The entry
 * stays: the token it replaced remains a candidate until the next refresh writes a new journal. Each replay holds
 * the account's refresh lock: on Redis, a journal may be another replica's refresh under way, not a crash.
 */
import type { Logger, RefreshLock } from '../ports.ts';
import type { AccountRecord, AccountSecrets } from './accountModel.ts';
import type { AccountRepository } from './accountRepository.ts';
import { readKiroAuthFile, writeBackKiroAuthFile } from './kiroAuthFile.ts';
import type { RefreshJournalEntry } from './refreshJournal.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export interface JournalReplayDeps {
  repository: AccountRepository;
  logger: Logger;
  ideWriteBack: () => boolean;
  refreshLock?: RefreshLock;
}

/** Replays every account's journal; a failure is logged and leaves that account as it was. */
export async function replayRefreshJournals(deps: JournalReplayDeps): Promise<void> {
  await Promise.all(
    deps.repository.list().map((record) =>
      replayHoldingLock(deps, record).catch((error: unknown) => {
        const message = errorMessage(error);
        deps.logger.warn({ account: record.id, error: message }, 'refresh journal replay failed');
      }),
    ),
  );
}

async function replayHoldingLock(deps: JournalReplayDeps, record: AccountRecord): Promise<boolean> {
  if (!deps.refreshLock) return replayRefreshJournal(deps, record);
  // Most accounts have no journal: only those that have one take the lock.
  if (!(await deps.repository.journal.read(record.id))) return false;
  return deps.refreshLock.withLock(record.id, () => replayRefreshJournal(deps, record));
}

/** true when the journal's answer was newer than the main record and replaced it. */
export async function replayRefreshJournal(deps: JournalReplayDeps, record: AccountRecord): Promise<boolean> {
  const entry = await deps.repository.journal.read(record.id);
  if (!entry) return false;
  const stored = (await deps.repository.readSecrets(record.id)) ?? {};
  const adopt = isNewerThanStored(entry, stored);
  const current = adopt ? withJournaledTokens(stored, entry) : stored;
  if (adopt) {
    await deps.repository.writeSecrets(record.id, current);
    if (entry.profileArn && entry.profileArn !== record.profileArn) {
      deps.repository.update(record.id, { profileArn: entry.profileArn });
    }
    deps.logger.info({ account: record.id }, 'refresh journal replayed: kept the token of the last answer');
  }
  if (record.source === 'kiro-ide' && record.sourcePath && deps.ideWriteBack()) {
    await catchUpIdeFile(record.sourcePath, current);
  }
  return adopt;
}

/** The journal is written before the main record; an older one (left by a failed clean-up) is not adopted. */
function isNewerThanStored(entry: RefreshJournalEntry, stored: AccountSecrets): boolean {
  return entry.refreshToken !== stored.refreshToken && entry.expiresAt >= (stored.expiresAt ?? 0);
}

function withJournaledTokens(stored: AccountSecrets, entry: RefreshJournalEntry): AccountSecrets {
  return {
    ...stored,
    accessToken: entry.accessToken,
    refreshToken: entry.refreshToken,
    expiresAt: entry.expiresAt,
  };
}

/** The crash may also have come before the write-back: give the IDE the live tokens unless it has newer. */
async function catchUpIdeFile(dir: string, current: AccountSecrets): Promise<void> {
  if (!current.accessToken || !current.refreshToken || current.expiresAt === undefined) return;
  const onDisk = await readKiroAuthFile(dir);
  if (!onDisk || onDisk.refreshToken === current.refreshToken) return;
  if (onDisk.expiresAtMs > current.expiresAt) return;
  await writeBackKiroAuthFile(dir, {
    accessToken: current.accessToken,
    refreshToken: current.refreshToken,
    expiresAtMs: current.expiresAt,
  });
}
