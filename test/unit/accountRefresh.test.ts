/**
 * The refresh's bookkeeping against rotation: the answer goes to the journal first, the journal survives a
 * crash and is replayed on start, and a rejected token falls back to the journal's and the IDE file's.
 */
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { refreshAccount, type AccountRefreshDeps } from '../../electron/core/accounts/accountRefresh.ts';
import {
  createAccountRepository,
  type AccountRepository,
} from '../../electron/core/accounts/accountRepository.ts';
import { readKiroAuthFile } from '../../electron/core/accounts/kiroAuthFile.ts';
import { replayRefreshJournals } from '../../electron/core/accounts/refreshJournalReplay.ts';
import type { KiroClient } from '../../electron/core/kiro/kiroClient.ts';
import { UpstreamError } from '../../electron/core/kiro/upstreamError.ts';
import type { Logger, RefreshLock, SecretStore } from '../../electron/core/ports.ts';
import { createInProcessRefreshLock } from '../../electron/core/accounts/inProcessRefreshLock.ts';
import { createMemorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { REFRESH_ELSEWHERE_WAIT_MS } from '../../electron/core/accounts/refreshedElsewhere.ts';
import { createFakeClock, type FakeClock } from '../support/fakeClock.ts';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await fs.rm(folder, { recursive: true, force: true });
});

/** Kiro's rotation: each live refresh token answers once with a new one and dies. */
function rotatingKiro(firstLive: string) {
  const live = new Set([firstLive]);
  const sent: string[] = [];
  let issued = 0;
  const client = {
    async refreshSocialToken(refreshToken: string) {
      sent.push(refreshToken);
      if (!live.delete(refreshToken)) {
        throw new UpstreamError('refresh_rejected', 'Invalid refresh token provided', { status: 400 });
      }
      issued += 1;
      live.add(`aor-issued-${issued}`);
      return {
        accessToken: `aoa-issued-${issued}`,
        refreshToken: `aor-issued-${issued}`,
        expiresInSeconds: 3600,
      };
    },
  } as unknown as KiroClient;
  return { client, sent };
}

/** A memory SecretStore that logs every write in order, and can fail one entry's writes (a crash there). */
function spiedSecrets() {
  const inner = createMemorySecretStore();
  const writes: string[] = [];
  const control: { failSetOf?: string; onWrite?: (what: string) => void } = {};
  const store: SecretStore = {
    kind: 'memory',
    get: (name) => inner.get(name),
    async set(name, value) {
      control.onWrite?.(`set ${name}`);
      if (name === control.failSetOf) throw new Error('killed here');
      writes.push(`set ${name}`);
      await inner.set(name, value);
    },
    async delete(name) {
      control.onWrite?.(`delete ${name}`);
      writes.push(`delete ${name}`);
      await inner.delete(name);
    },
  };
  return { store, writes, control };
}

function capturingLogger(lines: string[]): Logger {
  const log = (object: object, message?: string) => void lines.push(`${message} ${JSON.stringify(object)}`);
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

async function setup(options: { ide?: boolean; stored?: string } = {}) {
  const secrets = spiedSecrets();
  const settings = createMemorySettingsStore();
  const clock = createFakeClock();
  const repository = createAccountRepository({ settings, secrets: secrets.store, clock });
  const ideDir = await fs.mkdtemp(path.join(os.tmpdir(), 'refresh-ide-'));
  folders.push(ideDir);
  const stored = options.stored ?? 'aor-first';
  const record = await repository.add(
    {
      label: 'Test',
      source: options.ide ? 'kiro-ide' : 'manual',
      authMethod: 'social',
      region: 'us-east-1',
      disabled: false,
      ...(options.ide && { sourcePath: ideDir }),
    },
    { accessToken: 'aoa-first', refreshToken: stored, expiresAt: clock.now() - 1 },
  );
  if (options.ide) await writeIdeFile(ideDir, 'aoa-first', stored, clock.now() - 1);
  secrets.writes.length = 0;
  const logs: string[] = [];
  const deps = (client: KiroClient): AccountRefreshDeps => ({
    repository,
    client,
    clock,
    logger: capturingLogger(logs),
    ideWriteBack: () => true,
  });
  return { secrets, settings, clock, repository, record, ideDir, logs, deps };
}

async function writeIdeFile(dir: string, accessToken: string, refreshToken: string, expiresAtMs: number) {
  const file = {
    accessToken,
    refreshToken,
    expiresAt: new Date(expiresAtMs).toISOString(),
    authMethod: 'social',
  };
  await fs.writeFile(path.join(dir, 'kiro-auth-token.json'), JSON.stringify(file));
}

/** A second repository on the same stores: what a restart sees. */
function restarted(t: Awaited<ReturnType<typeof setup>>): AccountRepository {
  return createAccountRepository({ settings: t.settings, secrets: t.secrets.store, clock: t.clock });
}

describe('refreshAccount: what is written, in which order', () => {
  it('journals the answer first, then the main record and the IDE file, then clears the journal', async () => {
    const t = await setup({ ide: true });
    const kiro = rotatingKiro('aor-first');
    const ideAtJournalClear: string[] = [];
    t.secrets.control.onWrite = (what) => {
      if (!what.startsWith('delete refresh-journal')) return;
      const ideFile = JSON.parse(readFileSync(path.join(t.ideDir, 'kiro-auth-token.json'), 'utf8'));
      ideAtJournalClear.push(ideFile.refreshToken);
    };
    const next = await refreshAccount(t.deps(kiro.client), t.record);
    expect(next).toMatchObject({ accessToken: 'aoa-issued-1', refreshToken: 'aor-issued-1' });
    expect(t.secrets.writes).toEqual([
      `set refresh-journal:${t.record.id}`,
      `set account:${t.record.id}`,
      `delete refresh-journal:${t.record.id}`,
    ]);
    // The previous token is given up only once the IDE's file holds the new one too.
    expect(ideAtJournalClear).toEqual(['aor-issued-1']);
    expect(await t.repository.journal.read(t.record.id)).toBeUndefined();
  });

  it('keeps the journal when it dies before the main record, and a restart adopts its token', async () => {
    const t = await setup({ ide: true });
    const kiro = rotatingKiro('aor-first');
    t.secrets.control.failSetOf = `account:${t.record.id}`;
    await expect(refreshAccount(t.deps(kiro.client), t.record)).rejects.toThrow('killed here');
    t.secrets.control.failSetOf = undefined;
    expect(await t.repository.journal.read(t.record.id)).toMatchObject({
      refreshToken: 'aor-issued-1',
      previousRefreshToken: 'aor-first',
    });

    const repository = restarted(t);
    await replayRefreshJournals({ repository, logger: capturingLogger([]), ideWriteBack: () => true });
    expect(await repository.readSecrets(t.record.id)).toMatchObject({
      accessToken: 'aoa-issued-1',
      refreshToken: 'aor-issued-1',
    });
    // The IDE's file was behind too (the crash came before the write-back): it gets the live token.
    expect((await readKiroAuthFile(t.ideDir))?.refreshToken).toBe('aor-issued-1');
    const again = await refreshAccount({ ...t.deps(kiro.client), repository }, t.record);
    expect(again.refreshToken).toBe('aor-issued-2');
    expect(kiro.sent).toEqual(['aor-first', 'aor-issued-1']);
  });

  it('does not adopt an IDE file older than what Kiro Dock holds', async () => {
    const t = await setup({ ide: true });
    await t.repository.writeSecrets(t.record.id, {
      accessToken: 'aoa-ours',
      refreshToken: 'aor-ours',
      expiresAt: t.clock.now() + 3_600_000,
    });
    await writeIdeFile(t.ideDir, 'aoa-ide-old', 'aor-ide-old', t.clock.now() + 1_800_000);
    const kiro = rotatingKiro('aor-ours');
    const next = await refreshAccount(t.deps(kiro.client), t.record);
    expect(kiro.sent).toEqual(['aor-ours']);
    expect(next.refreshToken).toBe('aor-issued-1');
  });

  it('never logs a token', async () => {
    const t = await setup({ ide: true, stored: 'aor-dead' });
    await t.repository.journal.write(t.record.id, {
      receivedAt: t.clock.now(),
      accessToken: 'aoa-journal',
      refreshToken: 'aor-journal',
      expiresAt: t.clock.now() - 10,
      previousRefreshToken: 'aor-older',
    });
    await refreshAccount(t.deps(rotatingKiro('aor-older').client), t.record);
    const text = t.logs.join('\n');
    expect(text).toContain('token refreshed');
    for (const token of [
      'aor-dead',
      'aor-journal',
      'aor-older',
      'aoa-journal',
      'aor-issued-1',
      'aoa-issued-1',
    ])
      expect(text).not.toContain(token);
  });
});

describe('refreshAccount: a rejected refresh token', () => {
  it('tries the journal’s tokens and the IDE file’s once each, newest first, before giving up', async () => {
    const t = await setup({ ide: true, stored: 'aor-dead-1' });
    await writeIdeFile(t.ideDir, 'aoa-first', 'aor-ide', t.clock.now() - 10);
    await t.repository.journal.write(t.record.id, {
      receivedAt: t.clock.now(),
      accessToken: 'aoa-journal',
      refreshToken: 'aor-dead-2',
      expiresAt: t.clock.now() - 10,
      previousRefreshToken: 'aor-dead-1',
    });
    const kiro = rotatingKiro('aor-ide');
    const next = await refreshAccount(t.deps(kiro.client), t.record);
    expect(kiro.sent).toEqual(['aor-dead-1', 'aor-dead-2', 'aor-ide']);
    expect(next.refreshToken).toBe('aor-issued-1');
    expect(t.logs.join('\n')).toContain('"refreshTokenFrom":"ide-file"');
  });

  it('says needs re-login (the rejection) only after every token failed, one attempt each', async () => {
    const t = await setup({ ide: true, stored: 'aor-dead-1' });
    await t.repository.journal.write(t.record.id, {
      receivedAt: t.clock.now(),
      accessToken: 'aoa-journal',
      refreshToken: 'aor-dead-2',
      expiresAt: t.clock.now() - 10,
      previousRefreshToken: 'aor-dead-3',
    });
    const kiro = rotatingKiro('aor-live-elsewhere');
    const refused = expect(refreshAccount(t.deps(kiro.client), t.record)).rejects.toMatchObject({
      kind: 'refresh_rejected',
    });
    // Before giving up it waits a moment for another process's refresh to appear (none does here).
    await passTime(t.clock, REFRESH_ELSEWHERE_WAIT_MS + 250, 250);
    await refused;
    expect(kiro.sent).toEqual(['aor-dead-1', 'aor-dead-2', 'aor-dead-3']);
  });

  it('adopts the tokens of another process that refreshed meanwhile, instead of refreshing again', async () => {
    const t = await setup({ stored: 'aor-sent' });
    const kiro = rotatingKiro('aor-live-elsewhere');
    const refreshing = refreshAccount(t.deps(kiro.client), t.record);
    // The other process's refresh answer lands in the shared store while ours is refused.
    await t.repository.journal.write(t.record.id, {
      receivedAt: t.clock.now(),
      accessToken: 'aoa-other-process',
      refreshToken: 'aor-other-process',
      expiresAt: t.clock.now() + 3_600_000,
      previousRefreshToken: 'aor-sent',
    });
    await passTime(t.clock, 1_000, 250);
    await expect(refreshing).resolves.toMatchObject({
      accessToken: 'aoa-other-process',
      refreshToken: 'aor-other-process',
    });
    expect(kiro.sent).toEqual(['aor-sent']);
  });
});

/** Moves the fake clock on in steps, letting the file reads each step starts finish. */
async function passTime(clock: FakeClock, totalMs: number, stepMs: number): Promise<void> {
  for (let passed = 0; passed < totalMs; passed += stepMs) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    clock.advance(stepMs);
  }
}

describe('refresh journal replay on start', () => {
  it('leaves a main record alone that is newer than the journal', async () => {
    const t = await setup();
    await t.repository.writeSecrets(t.record.id, {
      accessToken: 'aoa-newer',
      refreshToken: 'aor-newer',
      expiresAt: t.clock.now() + 7_200_000,
    });
    await t.repository.journal.write(t.record.id, {
      receivedAt: t.clock.now(),
      accessToken: 'aoa-journal',
      refreshToken: 'aor-journal',
      expiresAt: t.clock.now() + 3_600_000,
      previousRefreshToken: 'aor-first',
    });
    await replayRefreshJournals({
      repository: t.repository,
      logger: capturingLogger([]),
      ideWriteBack: () => true,
    });
    expect((await t.repository.readSecrets(t.record.id))?.refreshToken).toBe('aor-newer');
    // Kept: its tokens remain candidates should the newer one be rejected.
    expect(await t.repository.journal.read(t.record.id)).toBeDefined();
  });

  it('drops the journal with the account', async () => {
    const t = await setup();
    await t.repository.journal.write(t.record.id, {
      receivedAt: t.clock.now(),
      accessToken: 'aoa-journal',
      refreshToken: 'aor-journal',
      expiresAt: t.clock.now(),
      previousRefreshToken: 'aor-first',
    });
    await t.repository.remove(t.record.id);
    expect(await t.secrets.store.get(`refresh-journal:${t.record.id}`)).toBeUndefined();
  });
});

describe('refreshAccount under a refresh lock', () => {
  /** A lock held by "another replica" until `release()`; what it stored meanwhile is in the shared store. */
  function heldLock() {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const lock: RefreshLock = {
      async withLock(_accountId, task) {
        await released;
        return task();
      },
    };
    return { lock, release };
  }

  /** The other holder refreshes while this one waits, stores its tokens and lets go. */
  async function refreshElsewhere(t: Awaited<ReturnType<typeof setup>>, release: () => void) {
    await t.repository.writeSecrets(t.record.id, {
      accessToken: 'aoa-from-the-other-replica',
      refreshToken: 'aor-from-the-other-replica',
      expiresAt: t.clock.now() + 3_600_000,
    });
    release();
  }

  it('uses the tokens another holder stored while it waited, without calling Kiro', async () => {
    const t = await setup();
    const kiro = rotatingKiro('aor-first');
    const { lock, release } = heldLock();
    const refreshing = refreshAccount({ ...t.deps(kiro.client), refreshLock: lock }, t.record, 'aoa-first');
    await refreshElsewhere(t, release);
    expect(await refreshing).toMatchObject({ accessToken: 'aoa-from-the-other-replica' });
    expect(kiro.sent).toEqual([]);
    expect(t.logs.some((line) => line.startsWith('refreshed meanwhile by another holder'))).toBe(true);
  });

  it('refreshes when the stored token is still the one to replace, or has expired', async () => {
    const t = await setup();
    const kiro = rotatingKiro('aor-first');
    const deps = { ...t.deps(kiro.client), refreshLock: createInProcessRefreshLock() };
    expect(await refreshAccount(deps, t.record, 'aoa-first')).toMatchObject({ accessToken: 'aoa-issued-1' });
    await t.repository.writeSecrets(t.record.id, {
      accessToken: 'aoa-stale-elsewhere',
      refreshToken: 'aor-issued-1',
      expiresAt: t.clock.now() + 30_000,
    });
    expect(await refreshAccount(deps, t.record, 'aoa-issued-1')).toMatchObject({
      accessToken: 'aoa-issued-2',
    });
    expect(kiro.sent).toEqual(['aor-first', 'aor-issued-1']);
  });

  it('without a token to replace, compares with the stored one as read before waiting', async () => {
    const t = await setup();
    const kiro = rotatingKiro('aor-first');
    const { lock, release } = heldLock();
    const refreshing = refreshAccount({ ...t.deps(kiro.client), refreshLock: lock }, t.record);
    await refreshElsewhere(t, release);
    expect(await refreshing).toMatchObject({ accessToken: 'aoa-from-the-other-replica' });
    expect(kiro.sent).toEqual([]);
  });
});
