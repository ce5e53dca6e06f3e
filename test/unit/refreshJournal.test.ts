import { describe, expect, it } from 'vitest';
import {
  orderRefreshCandidates,
  refreshWithCandidates,
  type RefreshTokenSource,
} from '../../electron/core/accounts/refreshCandidates.ts';
import {
  createRefreshJournal,
  parseRefreshJournalEntry,
  refreshJournalKeyFor,
  type RefreshJournalEntry,
} from '../../electron/core/accounts/refreshJournal.ts';
import { UpstreamError } from '../../electron/core/kiro/upstreamError.ts';
import { createMemorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';

const ENTRY: RefreshJournalEntry = {
  receivedAt: Date.UTC(2026, 0, 1),
  accessToken: 'aoa-new-access',
  refreshToken: 'aor-new-refresh',
  expiresAt: Date.UTC(2026, 0, 1, 1),
  previousRefreshToken: 'aor-old-refresh',
};

describe('refresh journal entries', () => {
  it('live in the account’s own secret store entry and read back as written', async () => {
    const secrets = createMemorySecretStore();
    const journal = createRefreshJournal(secrets);
    await journal.write('acc_1', { ...ENTRY, profileArn: 'arn:aws:codewhisperer:us-east-1:1:profile/X' });
    expect(refreshJournalKeyFor('acc_1')).toBe('refresh-journal:acc_1');
    expect(await secrets.get('refresh-journal:acc_1')).toContain('aor-new-refresh');
    expect(await journal.read('acc_1')).toEqual({
      ...ENTRY,
      profileArn: 'arn:aws:codewhisperer:us-east-1:1:profile/X',
    });
    expect(await journal.read('acc_2')).toBeUndefined();
    await journal.clear('acc_1');
    expect(await secrets.get('refresh-journal:acc_1')).toBeUndefined();
  });

  it('ignores a damaged or unknown entry rather than replaying it', () => {
    const valid = JSON.stringify({ version: 1, ...ENTRY });
    expect(parseRefreshJournalEntry(valid)).toEqual(ENTRY);
    expect(parseRefreshJournalEntry(valid.slice(0, -3))).toBeUndefined();
    expect(parseRefreshJournalEntry(JSON.stringify({ version: 2, ...ENTRY }))).toBeUndefined();
    expect(
      parseRefreshJournalEntry(JSON.stringify({ version: 1, ...ENTRY, refreshToken: '' })),
    ).toBeUndefined();
    expect(
      parseRefreshJournalEntry(JSON.stringify({ version: 1, ...ENTRY, expiresAt: 'soon' })),
    ).toBeUndefined();
    expect(parseRefreshJournalEntry('null')).toBeUndefined();
  });
});

describe('refresh candidates', () => {
  it('orders the tokens newest first, each once, skipping missing ones', () => {
    const order = orderRefreshCandidates({
      'ide-file': 'rt-ide',
      'journal-previous': 'rt-stored',
      journal: 'rt-journal',
      stored: 'rt-stored',
    });
    expect(order).toEqual([
      { source: 'stored', refreshToken: 'rt-stored' },
      { source: 'journal', refreshToken: 'rt-journal' },
      { source: 'ide-file', refreshToken: 'rt-ide' },
    ]);
    expect(orderRefreshCandidates({ stored: undefined, journal: '' })).toEqual([]);
  });
});

const rejected = () =>
  new UpstreamError('refresh_rejected', 'Invalid refresh token provided', { status: 400 });

function attempts(live: string | undefined, failWith?: (token: string) => Error | undefined) {
  const calls: string[] = [];
  const rejectedSources: RefreshTokenSource[] = [];
  let fallbackLookups = 0;
  const run = (stored: string | undefined, fallbacks: Record<string, string | undefined>) =>
    refreshWithCandidates({
      stored,
      fallbacks: async () => (fallbackLookups++, fallbacks),
      attempt: async (token) => {
        calls.push(token);
        const failure = failWith?.(token);
        if (failure) throw failure;
        if (token !== live) throw rejected();
        return `answer for ${token}`;
      },
      isRejection: (error) => error instanceof UpstreamError && error.kind === 'refresh_rejected',
      noToken: () => new Error('no refresh token'),
      onRejected: (source) => rejectedSources.push(source),
    });
  return { run, calls, rejectedSources, lookups: () => fallbackLookups };
}

describe('refreshing with candidates', () => {
  it('uses the stored token alone when it works, without looking anywhere else', async () => {
    const tries = attempts('rt-stored');
    const done = await tries.run('rt-stored', { journal: 'rt-journal' });
    expect(done).toEqual({
      result: 'answer for rt-stored',
      candidate: { source: 'stored', refreshToken: 'rt-stored' },
    });
    expect(tries.calls).toEqual(['rt-stored']);
    expect(tries.lookups()).toBe(0);
  });

  it('after a rejection tries the others newest first, up to the first that works', async () => {
    const tries = attempts('rt-previous');
    const done = await tries.run('rt-stored', {
      journal: 'rt-journal',
      'journal-previous': 'rt-previous',
      'ide-file': 'rt-ide',
    });
    expect(done.candidate).toEqual({ source: 'journal-previous', refreshToken: 'rt-previous' });
    expect(tries.calls).toEqual(['rt-stored', 'rt-journal', 'rt-previous']);
    expect(tries.rejectedSources).toEqual(['stored', 'journal']);
  });

  it('tries every distinct token exactly once, then throws the first rejection', async () => {
    const tries = attempts(undefined);
    const failure = tries.run('rt-stored', {
      journal: 'rt-stored',
      'journal-previous': 'rt-previous',
      'ide-file': 'rt-previous',
    });
    await expect(failure).rejects.toMatchObject({ kind: 'refresh_rejected' });
    expect(tries.calls).toEqual(['rt-stored', 'rt-previous']);
  });

  it('stops at a failure that is not a rejection: a retry later starts over', async () => {
    const network = new UpstreamError('network', 'socket hang up');
    const tries = attempts('rt-ide', (token) => (token === 'rt-journal' ? network : undefined));
    await expect(tries.run('rt-stored', { journal: 'rt-journal', 'ide-file': 'rt-ide' })).rejects.toBe(
      network,
    );
    expect(tries.calls).toEqual(['rt-stored', 'rt-journal']);
  });

  it('falls back when nothing is stored, and says so when there is no token at all', async () => {
    const tries = attempts('rt-ide');
    expect((await tries.run(undefined, { 'ide-file': 'rt-ide' })).candidate.source).toBe('ide-file');
    await expect(attempts('x').run(undefined, {})).rejects.toThrow('no refresh token');
  });
});
