/**
 * `kiro-dock accounts …`: the pool from the command line, on the same data folder and secret store as `serve`
 * (a running `serve` picks the changes up by itself).
 */
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { AccountRecord, AccountSecrets, AuthMethod } from './core/accounts/accountModel.ts';
import { createAccountRepository, type AccountRepository } from './core/accounts/accountRepository.ts';
import {
  importIdeLogin,
  importKiroCliLogins,
  type AccountImportResult,
} from './core/accounts/accountImport.ts';
import { runAccountsLogin } from './accountsLogin.ts';
import { runImportMany } from './accountsImportMany.ts';
import { apiKeyProblem, refreshTokenProblem } from './core/accounts/refreshTokenCheck.ts';
import { systemClock } from './core/ports.ts';
import { defaultDataDir, defaultKiroAuthDir } from './hostPaths.ts';
import { openSecretStore, openSettings } from './hostStores.ts';

export const ACCOUNTS_HELP = `Usage: kiro-dock accounts <list|add|remove|import|import-many|export|login> [options]

  list [--json]                         The pool (never any secret)
  add --refresh-token T [--auth social|idc --client-id ID --client-secret S --region R] [--label L]
  add --api-key ksk_… [--label L]
  remove ID
  import [--from ide|kiro-cli|all]      Kiro IDE login and/or kiro-cli logins (default all)
  export [--with-secrets --file F]      Accounts as JSON; secrets only into a file you name (mode 0600)
  import-many FILE|-                    Many refresh tokens or an export file, each checked with Kiro
  login --builder-id|--social P         Sign in to Kiro (see accounts login --help)

Common options: --data-dir DIR, --secret-store auto|keychain|file (as for serve), --kiro-auth-dir DIR
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  'secret-store': { type: 'string', default: 'auto' },
  'kiro-auth-dir': { type: 'string' },
  json: { type: 'boolean' },
  'refresh-token': { type: 'string' },
  'api-key': { type: 'string' },
  auth: { type: 'string', default: 'social' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  region: { type: 'string', default: 'us-east-1' },
  label: { type: 'string' },
  from: { type: 'string', default: 'all' },
  file: { type: 'string' },
  'with-secrets': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

export async function runAccounts(argv: string[], out: (line: string) => void): Promise<number> {
  if (argv[0] === 'login') return runAccountsLogin(argv.slice(1), out);
  if (argv[0] === 'import-many') return runImportMany(argv.slice(1), out);
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) {
    out(ACCOUNTS_HELP);
    return action === undefined && !values.help ? 2 : 0;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  if (values['secret-store'] === 'memory' && action !== 'list') {
    throw new Error('--secret-store memory keeps nothing after this command ends; use keychain or file.');
  }
  const secrets = await openSecretStore(values['secret-store'] ?? 'auto', dataDir, (message) => {
    throw new Error(`${message}\nAccounts need a store that outlives this command.`);
  });
  const repository = createAccountRepository({
    settings: await openSettings(dataDir),
    secrets,
    clock: systemClock,
  });
  switch (action) {
    case 'list':
      return listAccounts(repository, values, out);
    case 'add':
      return addAccount(repository, values, out);
    case 'remove':
      return removeAccount(repository, rest[0], out);
    case 'import':
      return importAccounts(repository, values, out);
    case 'export':
      return exportAccounts(repository, values, out);
    default:
      out(ACCOUNTS_HELP);
      return 2;
  }
}

function listAccounts(repository: AccountRepository, flags: Flags, out: (line: string) => void): number {
  const rows = repository.list().map((record) => ({
    id: record.id,
    label: record.label,
    source: record.source,
    authMethod: record.authMethod,
    state: record.disabled ? 'disabled' : (repository.persistedState(record.id)?.kind ?? 'active'),
  }));
  if (flags.json) {
    out(JSON.stringify(rows, null, 2));
  } else if (rows.length === 0) {
    out('No accounts. Sign in to Kiro IDE, or: kiro-dock accounts add --refresh-token …');
  } else {
    for (const row of rows) out(`${row.id}  ${row.label}  ${row.source}  ${row.authMethod}  ${row.state}`);
  }
  return 0;
}

async function addAccount(
  repository: AccountRepository,
  flags: Flags,
  out: (line: string) => void,
): Promise<number> {
  const apiKey = flags['api-key'];
  const refreshToken = flags['refresh-token'];
  if (!apiKey && !refreshToken) throw new Error('accounts add needs --refresh-token or --api-key.');
  const problem = apiKey ? apiKeyProblem(apiKey) : refreshTokenProblem(refreshToken!);
  if (problem) throw new Error(problem);
  const authMethod: AuthMethod = apiKey ? 'api_key' : flags.auth === 'idc' ? 'idc' : 'social';
  if (authMethod === 'idc' && (!flags['client-id'] || !flags['client-secret'])) {
    throw new Error('An IdC account needs --client-id and --client-secret (from the client registration).');
  }
  if (flags.auth !== 'social' && flags.auth !== 'idc') throw new Error('--auth must be social or idc.');
  const secrets: AccountSecrets = apiKey
    ? { apiKey }
    : { refreshToken, clientId: flags['client-id'], clientSecret: flags['client-secret'] };
  const record = await repository.add(
    {
      label: flags.label ?? (apiKey ? 'Kiro API key' : `Manual (${authMethod})`),
      source: 'manual',
      authMethod,
      region: flags.region ?? 'us-east-1',
      authRegion: authMethod === 'idc' ? flags.region : undefined,
      disabled: false,
    },
    secrets,
  );
  out(`Added ${record.id} (${record.label}).`);
  return 0;
}

async function removeAccount(
  repository: AccountRepository,
  id: string | undefined,
  out: (line: string) => void,
) {
  if (!id || !repository.get(id))
    throw new Error(`No account ${JSON.stringify(id ?? '')}; see kiro-dock accounts list.`);
  await repository.remove(id);
  out(`Removed ${id}.`);
  return 0;
}

async function importAccounts(repository: AccountRepository, flags: Flags, out: (line: string) => void) {
  const from = flags.from ?? 'all';
  if (!['ide', 'kiro-cli', 'all'].includes(from)) throw new Error('--from must be ide, kiro-cli or all.');
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

async function exportAccounts(repository: AccountRepository, flags: Flags, out: (line: string) => void) {
  const records: AccountRecord[] = repository.list();
  if (!flags['with-secrets']) {
    out(JSON.stringify({ accounts: records }, null, 2));
    return 0;
  }
  if (!flags.file)
    throw new Error('--with-secrets writes secrets only into a file you name: add --file PATH.');
  const accounts = await Promise.all(
    records.map(async (record) => ({ ...record, secrets: await repository.readSecrets(record.id) })),
  );
  await fs.writeFile(flags.file, JSON.stringify({ accounts }, null, 2), { mode: 0o600, flag: 'wx' });
  out(`Wrote ${accounts.length} accounts with their secrets to ${flags.file} (mode 0600). Keep it safe.`);
  return 0;
}
