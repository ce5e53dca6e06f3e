/**
 * The `kiro-dock accounts` command line, read and checked in full before any store is opened: an action, its
 * flags and their values. Whatever is typed wrong is a UsageError naming the problem and the fix.
 */
import {
  apiKeyProblem,
  refreshTokenProblem,
  type AccountSecrets,
  type AuthMethod,
  type NewAccount,
} from './core/index.ts';
import { HELP_OPTION } from './cli/cliCommand.ts';
import { parseCommandArgs } from './cli/commandArgs.ts';
import { unknownCommand, UsageError } from './cli/usageError.ts';
import { checkHeadlessFlags } from './headlessHost.ts';

export const ACCOUNTS_HELP = `Usage: kiro-dock accounts <list|add|remove|import|import-many|export|login> [options]

  list [--json]                         The pool (never any secret)
  add --refresh-token T [--auth social|idc --client-id ID --client-secret S --region R] [--label L]
  add --api-key ksk_… [--label L]       Kiro is asked once (a refresh, or a usage read for a key) before
                                        the account counts as active; a credential it refuses is kept as rejected
  remove ID
  import [--from ide|kiro-cli|all]      Kiro IDE login and/or kiro-cli logins (default all)
  export [--with-secrets --file F]      Accounts as JSON; secrets only into a file you name (mode 0600)
  import-many FILE|-                    Many refresh tokens or an export file, each checked with Kiro
  login --builder-id|--social P         Sign in to Kiro (see accounts login --help)

Common options: --data-dir DIR, --secret-store auto|keychain|file (as for serve; keychain and file are
remembered for the data folder), --kiro-auth-dir DIR

The replicas' shared accounts (list, add, remove, export): --redis-url URL (or KIRO_DOCK_REDIS_URL) with the
team's secret key, KIRO_DOCK_SECRET_KEY or --secret-key-file PATH, as serve is given them
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  'secret-store': { type: 'string' },
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
  'redis-url': { type: 'string' },
  'secret-key-file': { type: 'string' },
  ...HELP_OPTION,
} as const;

export type AccountsFlags = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

const ACTIONS = ['list', 'add', 'remove', 'import', 'export'] as const;
export type AccountsAction = (typeof ACTIONS)[number];

export interface AddRequest {
  account: NewAccount;
  secrets: AccountSecrets;
}

export type ParsedAccountsArgs =
  { action: 'help' } | { action: AccountsAction; flags: AccountsFlags; add?: AddRequest; id?: string };

const usageError = (problem: string, fix: string) => new UsageError(problem, fix, ACCOUNTS_HELP);

export function parseAccountsArgs(argv: string[]): ParsedAccountsArgs {
  const spec = { name: 'accounts', usage: ACCOUNTS_HELP, options: OPTIONS, allowPositionals: true };
  const { values: flags, positionals } = parseCommandArgs(spec, argv);
  const [action, ...rest] = positionals;
  if (flags.help) return { action: 'help' };
  if (action === undefined)
    throw usageError(
      `accounts needs a command: ${ACTIONS.join(', ')}.`,
      'For example: kiro-dock accounts list.',
    );
  if (!isAction(action))
    throw unknownCommand('accounts command', action, [...ACTIONS, 'import-many', 'login'], ACCOUNTS_HELP);
  checkHeadlessFlags({ 'secret-store': flags['secret-store'] }, ACCOUNTS_HELP);
  if (flags['secret-store'] === 'memory' && action !== 'list')
    throw usageError(
      '--secret-store memory keeps nothing after this command ends.',
      'Use --secret-store keychain or file.',
    );
  const id = action === 'remove' ? removedId(rest) : noMoreArguments(action, rest);
  checkTransferFlags(action, flags);
  return { action, flags, id, add: action === 'add' ? addRequestOf(flags) : undefined };
}

function isAction(word: string): word is AccountsAction {
  return (ACTIONS as readonly string[]).includes(word);
}

function removedId(rest: string[]): string {
  const [id, ...extra] = rest;
  if (id === undefined || id.trim() === '')
    throw usageError(
      "accounts remove needs the account's id.",
      'kiro-dock accounts list shows the ids; then: kiro-dock accounts remove ID.',
    );
  if (extra.length > 0)
    throw usageError(`accounts remove takes one id, got ${rest.length}.`, 'Remove one account at a time.');
  return id;
}

function noMoreArguments(action: string, rest: string[]): undefined {
  if (rest.length > 0)
    throw usageError(
      `accounts ${action} takes no argument "${rest[0]}".`,
      'Values go after their option, as in --label work.',
    );
  return undefined;
}

function checkTransferFlags(action: AccountsAction, flags: AccountsFlags): void {
  if (action === 'import' && !['ide', 'kiro-cli', 'all'].includes(flags.from ?? 'all'))
    throw usageError(
      `--from must be ide, kiro-cli or all, not ${JSON.stringify(flags.from)}.`,
      'The default is all.',
    );
  if (action === 'export' && flags['with-secrets'] && !flags.file)
    throw usageError(
      '--with-secrets writes secrets only into a file you name.',
      'Add --file PATH (it is created with mode 0600).',
    );
}

function addRequestOf(flags: AccountsFlags): AddRequest {
  const apiKey = flags['api-key']?.trim();
  const refreshToken = flags['refresh-token']?.trim();
  if (!apiKey && !refreshToken)
    throw usageError(
      'accounts add is missing --refresh-token (or --api-key).',
      'Add one: kiro-dock accounts add --refresh-token TOKEN, or --api-key ksk_….',
    );
  if (apiKey && refreshToken)
    throw usageError('accounts add takes --refresh-token or --api-key, not both.', 'Add them one at a time.');
  const problem = apiKey ? apiKeyProblem(apiKey) : refreshTokenProblem(refreshToken!);
  if (problem) throw usageError(problem, 'Copy the whole value again.');
  if (flags.auth !== 'social' && flags.auth !== 'idc')
    throw usageError(
      `--auth must be social or idc, not ${JSON.stringify(flags.auth)}.`,
      'The default is social.',
    );
  const authMethod: AuthMethod = apiKey ? 'api_key' : flags.auth;
  if (authMethod === 'idc' && (!flags['client-id'] || !flags['client-secret']))
    throw usageError(
      'An IdC account needs --client-id and --client-secret.',
      'Both come from the client registration of the login.',
    );
  const region = flags.region ?? 'us-east-1';
  return {
    account: {
      label: flags.label ?? (apiKey ? 'Kiro API key' : `Manual (${authMethod})`),
      source: 'manual',
      authMethod,
      region,
      authRegion: authMethod === 'idc' ? region : undefined,
      disabled: false,
    },
    secrets: apiKey
      ? { apiKey }
      : { refreshToken, clientId: flags['client-id'], clientSecret: flags['client-secret'] },
  };
}
