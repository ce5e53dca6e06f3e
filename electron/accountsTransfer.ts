/** `kiro-dock accounts import` and `export`: logins in from the Kiro IDE and kiro-cli, the pool out as JSON. */
import fs from 'node:fs/promises';
import {
  importIdeLogin,
  importKiroCliLogins,
  type AccountImportResult,
  type AccountRecord,
  type AccountRepository,
} from './core/index.ts';
import type { AccountsFlags } from './accountsArgs.ts';
import { defaultKiroAuthDir } from './hostPaths.ts';

type Flags = AccountsFlags;

export async function importAccounts(
  repository: AccountRepository,
  flags: Flags,
  out: (line: string) => void,
) {
  const from = flags.from ?? 'all';
  if (from !== 'kiro-cli') {
    const authDir = flags['kiro-auth-dir'] ?? defaultKiroAuthDir();
    printImport('Kiro IDE', await importIdeLogin(repository, authDir), out);
  }
  if (from !== 'ide') printImport('kiro-cli', await importKiroCliLogins(repository), out);
  return 0;
}

function printImport(source: string, result: AccountImportResult, out: (line: string) => void): void {
  for (const problem of result.problems) out(`${source}: ${problem}`);
  for (const id of result.imported) out(`${source}: imported ${id}.`);
  for (const id of result.alreadyPresent) out(`${source}: ${id} is already in the pool.`);
}

export async function exportAccounts(
  repository: AccountRepository,
  flags: Flags,
  out: (line: string) => void,
) {
  const records: AccountRecord[] = repository.list();
  if (!flags['with-secrets']) {
    out(JSON.stringify({ accounts: records }, null, 2));
    return 0;
  }
  const accounts = await Promise.all(
    records.map(async (record) => ({ ...record, secrets: await repository.readSecrets(record.id) })),
  );
  // parseAccountsArgs refused --with-secrets without --file.
  await fs.writeFile(flags.file!, JSON.stringify({ accounts }, null, 2), { mode: 0o600, flag: 'wx' });
  out(`Wrote ${accounts.length} accounts with their secrets to ${flags.file} (mode 0600). Keep it safe.`);
  return 0;
}
