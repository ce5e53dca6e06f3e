/**
 * The refresh journal: what a refresh answer brought, stored the moment the answer is parsed, before anything
 * else is done with it. Kiro rotates refresh tokens: once it has answered, the answer's token is the only one
 * that still works, and a crash before that token reaches the account's main record would lose the login for
 * good. The journal is an entry of its own in the account's SecretStore (`refresh-journal:<accountId>`), so no
 * secret goes anywhere the user did not choose. It also keeps the token the refresh was made with, until the
 * new one is in the main record and the IDE's file; a start replays it, and a rejected refresh tries its tokens.
 */
import type { SecretStore } from '../ports.ts';

export const REFRESH_JOURNAL_PREFIX = 'refresh-journal:';

export interface RefreshJournalEntry {
  /** Epoch ms when the answer was received. */
  receivedAt: number;
  accessToken: string;
  /** The refresh token to use from now on: the answer's, or the one sent when the answer did not rotate it. */
  refreshToken: string;
  /** Epoch ms when accessToken expires. */
  expiresAt: number;
  profileArn?: string;
  /** The refresh token the request was made with: dead once rotated, kept in case the rotation never was. */
  previousRefreshToken: string;
}

export interface RefreshJournal {
  /** Resolves once the entry is as durable as the store makes anything. */
  write(accountId: string, entry: RefreshJournalEntry): Promise<void>;
  /** undefined when there is none or it cannot be read (a journal never blocks an account). */
  read(accountId: string): Promise<RefreshJournalEntry | undefined>;
  clear(accountId: string): Promise<void>;
}

export function refreshJournalKeyFor(accountId: string): string {
  return `${REFRESH_JOURNAL_PREFIX}${accountId}`;
}

export function createRefreshJournal(secrets: SecretStore): RefreshJournal {
  return {
    // No await before the store's call: for the file store, the write reaches the kernel within this call.
    write: (accountId, entry) =>
      secrets.set(refreshJournalKeyFor(accountId), JSON.stringify({ version: 1, ...entry })),
    async read(accountId) {
      const text = await secrets.get(refreshJournalKeyFor(accountId));
      return text === undefined ? undefined : parseRefreshJournalEntry(text);
    },
    clear: (accountId) => secrets.delete(refreshJournalKeyFor(accountId)),
  };
}

/** Only well-formed entries count: a damaged one is ignored rather than replayed. */
export function parseRefreshJournalEntry(text: string): RefreshJournalEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  const strings = ['accessToken', 'refreshToken', 'previousRefreshToken'] as const;
  if (raw['version'] !== 1 || strings.some((key) => !nonEmptyString(raw[key]))) return undefined;
  if (!finiteNumber(raw['receivedAt']) || !finiteNumber(raw['expiresAt'])) return undefined;
  const entry: RefreshJournalEntry = {
    receivedAt: raw['receivedAt'],
    accessToken: raw['accessToken'] as string,
    refreshToken: raw['refreshToken'] as string,
    expiresAt: raw['expiresAt'],
    previousRefreshToken: raw['previousRefreshToken'] as string,
  };
  if (nonEmptyString(raw['profileArn'])) entry.profileArn = raw['profileArn'];
  return entry;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function finiteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
