/**
 * `kiro-dock accounts …`: the pool from the command line, on the same data folder and secret store as `serve`
 * (a running `serve` picks the changes up by itself). What is typed wrong is refused before any store is opened
 * (accountsArgs.ts); `list` opens no secret store at all, as it shows no secret.
 */
import { checkStoredCredential, type CredentialCheck } from './core/index.ts';
import type { AccountRepository } from './core/index.ts';
import { openAccountRepository } from './accountsStore.ts';
import { runAccountsLogin } from './accountsLogin.ts';
import { runImportMany } from './accountsImportMany.ts';
import type { CliCommand } from './cli/cliCommand.ts';
import {
  ACCOUNTS_HELP,
  parseAccountsArgs,
  type AccountsFlags,
  type AddRequest,
  type ParsedAccountsArgs,
} from './accountsArgs.ts';
import { exportAccounts, importAccounts } from './accountsTransfer.ts';
import { openSharedAccountRepository } from './sharedAccountsStore.ts';
import { UsageError } from './cli/usageError.ts';
import type { RefreshLock } from './core/ports.ts';

export { ACCOUNTS_HELP } from './accountsArgs.ts';

type Out = (line: string) => void;

export const accountsCommand: CliCommand = {
  summary: 'List, add, remove, import and export Kiro accounts',
  run: (args, { out }) => runAccounts(args, out),
};

export async function runAccounts(argv: string[], out: Out, env = process.env): Promise<number> {
  // Sign-in and batch import read their own flags (accountsLogin.ts, accountsImportMany.ts).
  if (argv[0] === 'login') return runAccountsLogin(argv.slice(1), out);
  if (argv[0] === 'import-many') return runImportMany(argv.slice(1), out);
  const parsed = parseAccountsArgs(argv);
  if (parsed.action === 'help') {
    out(ACCOUNTS_HELP);
    return 0;
  }
  const shared = await openSharedAccountRepository(parsed.flags, env, ACCOUNTS_HELP);
  try {
    if (shared && parsed.action === 'import') {
      throw new UsageError(
        "accounts import brings this machine's Kiro IDE and kiro-cli logins, which the replicas cannot share.",
        "Add the account with accounts add --refresh-token … --redis-url …, or from a replica's dashboard.",
        ACCOUNTS_HELP,
      );
    }
    const repository =
      shared?.repository ??
      (await openAccountRepository(parsed.flags, { withSecrets: parsed.action !== 'list' }));
    return await runAction(parsed, repository, { env, refreshLock: shared?.refreshLock }, out);
  } finally {
    await shared?.close();
  }
}

async function runAction(
  parsed: Exclude<ParsedAccountsArgs, { action: 'help' }>,
  repository: AccountRepository,
  context: { env: NodeJS.ProcessEnv; refreshLock: RefreshLock | undefined },
  out: Out,
): Promise<number> {
  switch (parsed.action) {
    case 'list':
      return listAccounts(repository, parsed.flags, out);
    case 'add':
      return addAccount(repository, parsed.add!, { ...context, region: parsed.flags.region }, out);
    case 'remove':
      return removeAccount(repository, parsed.id!, out);
    case 'import':
      return importAccounts(repository, parsed.flags, out);
    case 'export':
      return exportAccounts(repository, parsed.flags, out);
  }
}

function listAccounts(repository: AccountRepository, flags: AccountsFlags, out: Out): number {
  const rows = repository.list().map((record) => {
    const persisted = record.disabled ? undefined : repository.persistedState(record.id);
    return {
      id: record.id,
      label: record.label,
      source: record.source,
      authMethod: record.authMethod,
      state: record.disabled ? 'disabled' : (persisted?.kind ?? 'active'),
      ...(persisted && 'reason' in persisted && { reason: persisted.reason }),
    };
  });
  if (flags.json) {
    out(JSON.stringify(rows, null, 2));
  } else if (rows.length === 0) {
    out('No accounts. Sign in to Kiro IDE, or: kiro-dock accounts add --refresh-token …');
  } else {
    for (const row of rows) {
      const state = row.reason ? `${row.state} (${row.reason})` : row.state;
      out(`${row.id}  ${row.label}  ${row.source}  ${row.authMethod}  ${state}`);
    }
  }
  return 0;
}

async function addAccount(
  repository: AccountRepository,
  add: AddRequest,
  upstream: { env: NodeJS.ProcessEnv; region: string | undefined; refreshLock: RefreshLock | undefined },
  out: Out,
): Promise<number> {
  const record = await repository.add(add.account, add.secrets);
  const check = await whileAlive(
    checkStoredCredential(
      {
        repository,
        upstreamUrl: upstream.env['KIRO_DOCK_UPSTREAM_URL'] || undefined,
        region: upstream.region,
        refreshLock: upstream.refreshLock,
      },
      record.id,
    ),
  );
  out(addedLine(record.id, record.label, check));
  return check.outcome === 'rejected' ? 1 : 0;
}

/**
 * The core's clock does not hold the process open (its timers are unref'd, right for a server); a command
 * waiting on one — a rejected refresh waits up to 2 s for another process's — must, or Node exits mid-check.
 */
async function whileAlive<T>(work: Promise<T>): Promise<T> {
  const keepAlive = setInterval(() => undefined, 1_000);
  try {
    return await work;
  } finally {
    clearInterval(keepAlive);
  }
}

function addedLine(id: string, label: string, check: CredentialCheck): string {
  const what = `${id} (${label})`;
  switch (check.outcome) {
    case 'accepted':
      return `Added ${what}: Kiro accepted it, and it is active.`;
    case 'rejected':
      return (
        `Added ${what}, but Kiro rejected it: ${asSentence(check.reason)} It stays marked as rejected` +
        ` until you remove it (kiro-dock accounts remove ${id}). ${howToFixOf(check)}`
      );
    case 'unchecked':
      return `Added ${what}, not checked yet (${check.reason}); serve checks it when it starts.`;
  }
}

/** Kiro's reasons come with or without a full stop ("Invalid refresh token provided"). */
function asSentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

function howToFixOf(check: CredentialCheck & { outcome: 'rejected' }): string {
  return 'howToFix' in check.state ? check.state.howToFix : '';
}

async function removeAccount(repository: AccountRepository, id: string, out: Out): Promise<number> {
  if (!repository.get(id))
    throw new Error(`No account ${JSON.stringify(id)}; kiro-dock accounts list shows the ids.`);
  await repository.remove(id);
  out(`Removed ${id}.`);
  return 0;
}
