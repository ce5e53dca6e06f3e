/**
 * The account repository the `accounts` commands work on: the data folder's settings and the secret store chosen
 * for it (`--secret-store`, else the one remembered for the folder, else the keychain). A command that shows no
 * secret opens none.
 */
import { createAccountRepository, type AccountRepository } from './core/index.ts';
import { systemClock } from './core/ports.ts';
import { UsageError } from './cli/usageError.ts';
import { checkHeadlessFlags } from './headlessHost.ts';
import { defaultDataDir } from './hostPaths.ts';
import { openChosenSecretStore, openSecretStore, openSettings } from './hostStores.ts';

export interface AccountStoreFlags {
  'data-dir'?: string;
  'secret-store'?: string;
}

/** What is wrong with the store flags of a command that keeps accounts, before anything is opened. */
export function checkAccountStoreFlags(flags: AccountStoreFlags, usage: string, keepsSecrets = true): void {
  checkHeadlessFlags({ 'secret-store': flags['secret-store'] }, usage);
  if (keepsSecrets && flags['secret-store'] === 'memory')
    throw new UsageError(
      '--secret-store memory keeps nothing after this command ends.',
      'Use --secret-store keychain or file.',
      usage,
    );
}

export async function openAccountRepository(
  flags: AccountStoreFlags,
  { withSecrets }: { withSecrets: boolean },
): Promise<AccountRepository> {
  const dataDir = flags['data-dir'] ?? defaultDataDir();
  const settings = await openSettings(dataDir);
  const secrets = withSecrets
    ? await openChosenSecretStore(
        flags['secret-store'],
        { dataDir, settings },
        {
          remembered: (message) => process.stderr.write(`kiro-dock: ${message}\n`),
          noKeychain: (message) => {
            throw new Error(`${message}\nAccounts need a store that outlives this command.`);
          },
        },
      )
    : await openSecretStore('memory', dataDir, () => undefined);
  return createAccountRepository({ settings, secrets, clock: systemClock });
}
