/**
 * Secrets longer than one Windows credential, on a stand-in Credential Manager that refuses blobs above 2,560
 * bytes as the real one does: 3,000-character secrets, entries written by earlier versions, crashes between
 * writes, and an account's secrets through the account repository.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AccountSecrets } from '../../electron/core/accounts/accountModel.ts';
import { createAccountRepository } from '../../electron/core/accounts/accountRepository.ts';
import type { SecretStore } from '../../electron/core/ports.ts';
import {
  createChunkedSecretStore,
  MAX_ENTRY_UTF16_UNITS,
  splitIntoChunks,
} from '../../electron/core/secrets/chunkedSecretStore.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { createFakeClock } from '../support/fakeClock.ts';
import {
  createWindowsCredentialManager,
  CRED_MAX_CREDENTIAL_BLOB_SIZE,
  SimulatedCrash,
  type FakeCredentialManager,
} from '../support/windowsCredentialManager.ts';

/** 3,000 characters, with a 2-unit emoji and accented letters across every chunk boundary. */
const LONG = Array.from({ length: 3_000 }, (_unused, index) => (index % 97 === 0 ? 'é' : 'x'))
  .join('')
  .slice(0, 2_990)
  .concat('😀😀😀😀😀')
  .slice(0, 3_000);
const OTHER_LONG = 'y'.repeat(3_000);

let manager: FakeCredentialManager;
let store: SecretStore;

beforeEach(() => {
  manager = createWindowsCredentialManager();
  store = createChunkedSecretStore(manager, 'keychain');
});

const blobSizes = () => [...manager.credentials.values()].map((value) => Buffer.byteLength(value, 'utf16le'));

describe('the stand-in Credential Manager', () => {
  it('refuses a 3,000-character value in one entry, as Windows does', async () => {
    await expect(manager.write('account:acc_1', 'x'.repeat(3_000))).rejects.toThrow(/2560/);
    await expect(manager.write('account:acc_1', 'x'.repeat(1_280))).resolves.toBeUndefined();
    await expect(manager.write('account:acc_1', 'x'.repeat(1_281))).rejects.toThrow(/limit/);
  });
});

describe('chunked secret store', () => {
  it('round-trips 3,000-character secrets with no entry above the limit', async () => {
    await store.set('account:acc_1', LONG);
    expect(await store.get('account:acc_1')).toBe(LONG);
    expect(manager.credentials.size).toBeGreaterThan(2);
    expect(Math.max(...blobSizes())).toBeLessThanOrEqual(CRED_MAX_CREDENTIAL_BLOB_SIZE);
  });

  it('never splits a surrogate pair', () => {
    const value = 'a'.concat('😀'.repeat(1_000));
    const pieces = splitIntoChunks(value, 11);
    expect(pieces.join('')).toBe(value);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(11);
      expect(piece).toBe(Buffer.from(piece, 'utf8').toString('utf8'));
    }
  });

  it('keeps a short value in one entry under its own name, as earlier versions wrote it', async () => {
    await store.set('client-key', 'kd-short');
    expect([...manager.credentials]).toEqual([['client-key', 'kd-short']]);
  });

  it('reads a single entry written by an earlier version and moves it to chunks when it is rewritten', async () => {
    const legacy = 'l'.repeat(MAX_ENTRY_UTF16_UNITS);
    manager.credentials.set('account:acc_1', legacy);
    expect(await store.get('account:acc_1')).toBe(legacy);
    await store.set('account:acc_1', LONG);
    expect(await store.get('account:acc_1')).toBe(LONG);
  });

  it('removes the old chunks when a value is replaced, by a long or a short one, and on delete', async () => {
    await store.set('account:acc_1', LONG);
    const firstCount = manager.credentials.size;
    await store.set('account:acc_1', OTHER_LONG);
    expect(manager.credentials.size).toBe(firstCount);
    await store.set('account:acc_1', 'short');
    expect([...manager.credentials]).toEqual([['account:acc_1', 'short']]);
    await store.set('account:acc_1', LONG);
    await store.delete('account:acc_1');
    expect(manager.credentials.size).toBe(0);
    expect(await store.get('account:acc_1')).toBeUndefined();
  });

  it.each([
    ['a chunked value', LONG],
    ['a single-entry value of an earlier version', 'legacy-secret'],
  ])('keeps %s when the process dies between the chunk writes of its replacement', async (_case, old) => {
    if (old === LONG) await store.set('account:acc_1', old);
    else manager.credentials.set('account:acc_1', old);
    for (let writes = 0; writes < 3; writes += 1) {
      manager.crashAfterWrites = writes;
      await expect(store.set('account:acc_1', OTHER_LONG)).rejects.toBeInstanceOf(SimulatedCrash);
      manager.crashAfterWrites = undefined;
      expect(await store.get('account:acc_1')).toBe(old);
    }
  });

  it('has the new value after dying between the switch and the clean-up, and clears the leftovers next time', async () => {
    await store.set('account:acc_1', LONG);
    const chunksOfOne = manager.credentials.size;
    // Removes after the switch fail: the old generation stays behind, unnamed.
    manager.crashAfterRemoves = 0;
    await store.set('account:acc_1', OTHER_LONG);
    manager.crashAfterRemoves = undefined;
    expect(await store.get('account:acc_1')).toBe(OTHER_LONG);
    expect(manager.credentials.size).toBe(2 * chunksOfOne - 1);
    await store.set('account:acc_1', LONG);
    expect(manager.credentials.size).toBe(chunksOfOne);
    expect(await store.get('account:acc_1')).toBe(LONG);
  });

  it('stores a short value that looks like a manifest as chunks, so it reads back as itself', async () => {
    const lookalike = 'kiro-dock-chunks:v1:{"generation":"x","count":1}';
    await store.set('odd', lookalike);
    expect(await store.get('odd')).toBe(lookalike);
  });

  it('refuses a value whose parts were changed, without showing the value', async () => {
    await store.set('account:acc_1', LONG);
    const chunk = [...manager.credentials.keys()].find((name) => name.endsWith('.1'));
    manager.credentials.set(chunk!, 'tampered');
    const error = await store.get('account:acc_1').then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.message).toMatch(/account:acc_1.*parts.*sign in again/s);
    expect(error?.message).not.toContain('xxxx');
  });
});

describe('a damaged manifest', () => {
  it('is reported on read, and can still be replaced and deleted', async () => {
    manager.credentials.set('account:acc_1', 'kiro-dock-chunks:v1:{"generation":');
    await expect(store.get('account:acc_1')).rejects.toThrow(/damaged list of its parts.*sign in again/);
    await store.set('account:acc_1', LONG);
    expect(await store.get('account:acc_1')).toBe(LONG);
    await store.delete('account:acc_1');
    expect(await store.get('account:acc_1')).toBeUndefined();
  });
});

describe('account secrets of 3,000 characters through the account repository', () => {
  it('adds, reads and rewrites an IdC login whose client secret alone exceeds one credential', async () => {
    const clock = createFakeClock();
    const repository = createAccountRepository({
      settings: createMemorySettingsStore(),
      secrets: store,
      clock,
    });
    const secrets: AccountSecrets = {
      accessToken: 'a'.repeat(3_000),
      refreshToken: 'r'.repeat(3_000),
      clientId: 'c'.repeat(400),
      clientSecret: 's'.repeat(3_000),
    };
    const record = await repository.add(
      { label: 'IdC', source: 'manual', authMethod: 'idc', region: 'us-east-1', disabled: false },
      secrets,
    );
    expect(await repository.readSecrets(record.id)).toEqual(secrets);
    const refreshed = { ...secrets, accessToken: 'b'.repeat(3_000) };
    await repository.writeSecrets(record.id, refreshed);
    expect(await repository.readSecrets(record.id)).toEqual(refreshed);
    expect(Math.max(...blobSizes())).toBeLessThanOrEqual(CRED_MAX_CREDENTIAL_BLOB_SIZE);
    await repository.remove(record.id);
    expect(manager.credentials.size).toBe(0);
  });
});
