/**
 * The stores a headless host opens: settings in the data folder, secrets where the user chose. The keychain is
 * the default; where none is available the user is told so, and secrets stay in memory unless they opt into
 * the file store — never silently in clear on disk.
 */
import fs from 'node:fs/promises';
import type { SecretStore, SettingsStore } from './core/ports.ts';
import {
  createJsonSettingsStore,
  createFileSecretStore,
  createKeychainSecretStore,
  createMemorySecretStore,
  KeychainUnavailableError,
} from './core/index.ts';

export type SecretStoreChoice = 'auto' | 'keychain' | 'file' | 'memory';

export const SECRET_STORE_CHOICES: readonly SecretStoreChoice[] = ['auto', 'keychain', 'file', 'memory'];

/** The data folder's remembered `--secret-store` (keychain or file), in its settings.json. */
export const SETTING_SECRET_STORE = 'secretStore';

const REMEMBERED_CHOICES: readonly string[] = ['keychain', 'file'];

/**
 * The store the user chose for this data folder: the flag when given, else the one remembered from an earlier
 * command, else auto. Choosing keychain or file remembers it (the secrets live there from then on, so every
 * later command must open the same store); auto forgets it; memory is for one run and changes nothing.
 */
export async function openChosenSecretStore(
  flag: string | undefined,
  where: { dataDir: string; settings: SettingsStore },
  tell: { remembered(message: string): void; noKeychain(message: string): void },
): Promise<SecretStore> {
  const remembered = rememberedSecretStore(where.settings);
  if (flag !== undefined && flag !== remembered) {
    if (REMEMBERED_CHOICES.includes(flag)) {
      where.settings.set(SETTING_SECRET_STORE, flag);
      tell.remembered(
        `the ${flag} secret store is now remembered for ${where.dataDir}; later commands use it without ` +
          '--secret-store (--secret-store auto goes back to the default).',
      );
    } else if (flag === 'auto' && remembered !== undefined) {
      where.settings.delete(SETTING_SECRET_STORE);
    }
  }
  return openSecretStore(flag ?? remembered ?? 'auto', where.dataDir, tell.noKeychain);
}

export function rememberedSecretStore(settings: SettingsStore): SecretStoreChoice | undefined {
  const value = settings.get<unknown>(SETTING_SECRET_STORE);
  return typeof value === 'string' && REMEMBERED_CHOICES.includes(value)
    ? (value as SecretStoreChoice)
    : undefined;
}

export async function openSecretStore(
  choice: string,
  dataDir: string,
  warn: (message: string) => void,
): Promise<SecretStore> {
  switch (choice) {
    case 'memory':
      return createMemorySecretStore();
    case 'file':
      await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
      return createFileSecretStore(dataDir);
    case 'keychain':
      return createKeychainSecretStore();
    case 'auto':
      try {
        return await createKeychainSecretStore();
      } catch (error) {
        if (!(error instanceof KeychainUnavailableError)) throw error;
        warn(
          `${error.message}\nSecrets are kept in memory for this run only. To keep them on this machine, ` +
            'pass --secret-store file (a 0600 file in the data folder).',
        );
        return createMemorySecretStore();
      }
    default:
      throw new Error(
        `--secret-store must be one of ${SECRET_STORE_CHOICES.join(', ')}, got ${JSON.stringify(choice)}`,
      );
  }
}

export async function openSettings(dataDir: string): Promise<SettingsStore> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  return createJsonSettingsStore({ dataDir });
}
