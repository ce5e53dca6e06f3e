/**
 * Secrets in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service on Linux) through
 * @napi-rs/keyring: one entry per secret name under the service "kiro-dock", or, for a value longer than one
 * Windows credential holds, a manifest entry and its chunks (chunkedSecretStore.ts) on every OS alike.
 *
 * On Linux the entries are pinned to the Secret Service: keyring's fallback, the kernel keyring, forgets
 * everything at logout, which would silently lose every account. Whether a usable keychain exists is only
 * known by using it, so creating the store writes, reads back and deletes a throw-away entry first.
 */
import { randomBytes } from 'node:crypto';
import type { AsyncEntry, EntryOptions } from '@napi-rs/keyring';
import type { SecretStore } from '../ports.ts';
import { createChunkedSecretStore, type KeychainEntries } from './chunkedSecretStore.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export const KEYCHAIN_SERVICE = 'kiro-dock';

const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

/** Long enough for the user to answer an "unlock keychain" prompt; short enough not to hang a headless start. */
const PROBE_TIMEOUT_MS = 60_000;

export class KeychainUnavailableError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      `No usable OS keychain here (${reason}). On a desktop, unlock the keychain (on Linux: a Secret Service ` +
        'such as GNOME Keyring or KWallet must be running and unlocked). On a headless machine, start Kiro Dock ' +
        'with --secret-store file to keep secrets in a mode-0600 file in the data folder (your explicit choice), ' +
        'or with --secret-store memory to keep them for this run only.',
      options,
    );
    this.name = 'KeychainUnavailableError';
  }
}

export async function createKeychainSecretStore(options: { service?: string } = {}): Promise<SecretStore> {
  const service = options.service ?? KEYCHAIN_SERVICE;
  // The native binding is loaded by the store that uses it: a process on the file store never maps it.
  const { AsyncEntry: Entry } = await import('@napi-rs/keyring');
  await probe(Entry, service);
  return createChunkedSecretStore(keyringEntries(Entry, service), 'keychain');
}

type EntryClass = typeof AsyncEntry;

/** The binding's entries, one per name; its errors say which entry and which keychain. */
export function keyringEntries(Entry: EntryClass, service: string): KeychainEntries {
  const entry = (name: string) => new Entry(service, name, ENTRY_OPTIONS);
  return {
    read: (name) =>
      withContext(`read "${name}" from`, async () => (await entry(name).getPassword()) ?? undefined),
    write: (name, value) => withContext(`store "${name}" in`, () => entry(name).setPassword(value)),
    // `false` (nothing to delete) is as good as deleted.
    remove: (name) =>
      withContext(`delete "${name}" from`, async () => void (await entry(name).deleteCredential())),
  };
}

async function probe(Entry: EntryClass, service: string): Promise<void> {
  const name = `probe-${randomBytes(8).toString('hex')}`;
  const value = randomBytes(16).toString('hex');
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  let entry: AsyncEntry;
  try {
    entry = new Entry(service, name, ENTRY_OPTIONS);
    await entry.setPassword(value, signal);
  } catch (error) {
    throw new KeychainUnavailableError(`writing a test entry failed: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  try {
    const readBack = await entry.getPassword(signal);
    if (readBack !== value) throw new Error('the test entry read back differently');
  } catch (error) {
    throw new KeychainUnavailableError(`reading a test entry back failed: ${errorMessage(error)}`, {
      cause: error,
    });
  } finally {
    await entry.deleteCredential().catch(() => undefined);
  }
}

async function withContext<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw new Error(`Could not ${what} the OS keychain: ${errorMessage(error)}`, { cause: error });
  }
}
