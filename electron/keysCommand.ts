/**
 * `kiro-dock keys …`: the team's client keys from the command line, in the same data folder as `serve` (a
 * running `serve` picks a new or revoked key up by itself). A key is printed once, when it is created.
 */
import fs from 'node:fs';
import type { parseArgs } from 'node:util';
import type { CliCommand } from './cli/cliCommand.ts';
import { parseCommandArgs } from './cli/commandArgs.ts';
import { unknownCommand, UsageError } from './cli/usageError.ts';
import {
  connectRedisTeamState,
  ClientKeyInputError,
  createClientKeyRegistry,
  openSqliteUsageLedger,
  periodWindow,
  settingsClientKeyStore,
  type ClientKeyRecord,
  type KeySpending,
} from './core/index.ts';
import { systemClock, type Logger } from './core/ports.ts';
import { defaultDataDir, usageLedgerFile } from './hostPaths.ts';
import { openSettings } from './hostStores.ts';

export const KEYS_HELP = `Usage: kiro-dock keys <create|list|revoke> [options]

  create --label L [--credit-limit N] [--period day|month] [--models a,b] [--rate-limit N] [--json]
                     A new client key, printed once (only its digest is kept). --credit-limit: Kiro credits per
                     period (default month); --models: the model ids it may use (a trailing * is a prefix);
                     --rate-limit: requests per minute. --json prints {"id","key","label"}.
  list [--json]      The keys, their limits and this period's spending (never a key)
  revoke ID          Refuses the key from the next request on

Common options: --data-dir DIR (as for serve), --redis-url URL (the replicas' Redis; also KIRO_DOCK_REDIS_URL)
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  'redis-url': { type: 'string' },
  label: { type: 'string' },
  'credit-limit': { type: 'string' },
  period: { type: 'string' },
  models: { type: 'string' },
  'rate-limit': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A failure to reach Redis is this command's error message; its reconnection chatter would only repeat it. */
const QUIET: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => QUIET };

type Flags = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

const KEYS_ACTIONS = ['create', 'list', 'revoke'];

/** What was typed wrong, before Redis or the data folder is opened. */
function checkKeysLine(action: string | undefined, rest: string[], flags: Flags): asserts action is string {
  if (action === undefined)
    throw new UsageError(
      'keys needs a command: create, list or revoke.',
      'Run kiro-dock keys --help.',
      KEYS_HELP,
    );
  if (action === 'create' && flags.label === undefined)
    throw new UsageError('keys create needs --label.', 'Add one, e.g. --label alice.', KEYS_HELP);
  if (action === 'create' && flags.period !== undefined && flags['credit-limit'] === undefined)
    throw new UsageError('--period applies to a budget.', 'Add --credit-limit N.', KEYS_HELP);
  if (action === 'revoke' && rest[0] === undefined)
    throw new UsageError(
      'keys revoke needs the id of a key.',
      'Run kiro-dock keys list to see the ids.',
      KEYS_HELP,
    );
}

export const keysCommand: CliCommand = {
  summary: "Create, list and revoke the team's client keys (budgets, models, rate limits)",
  run: (args, { out }) => runKeys(args, out),
};

export async function runKeys(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    { name: 'keys', usage: KEYS_HELP, options: OPTIONS, allowPositionals: true },
    argv,
  );
  const [action, ...rest] = positionals;
  if (values.help) {
    out(KEYS_HELP);
    return 0;
  }
  checkKeysLine(action, rest, values);
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const redisUrl = values['redis-url'] ?? (process.env['KIRO_DOCK_REDIS_URL'] || undefined);
  const shared = redisUrl
    ? await connectRedisTeamState({ url: redisUrl, clock: systemClock, logger: QUIET })
    : undefined;
  const keys = createClientKeyRegistry({
    store: shared?.keyStore ?? settingsClientKeyStore(await openSettings(dataDir)),
    clock: systemClock,
  });
  try {
    switch (action) {
      case 'create':
        return await createKey(keys, values, out);
      case 'list':
        return await listKeys(keys.list(), dataDir, values, out, shared?.spending);
      case 'revoke':
        return await revokeKey(keys, rest[0] ?? '', out);
      default:
        throw unknownCommand('keys command', action, KEYS_ACTIONS, KEYS_HELP);
    }
  } finally {
    keys.dispose();
    await shared?.close();
  }
}

async function createKey(
  keys: ReturnType<typeof createClientKeyRegistry>,
  flags: Flags,
  out: (line: string) => void,
) {
  try {
    const { record, key } = await keys.create({
      label: flags.label ?? '', // present: checkKeysLine refuses create without it
      creditLimit: numberFlag('--credit-limit', flags['credit-limit']),
      period: flags.period as ClientKeyRecord['period'],
      models: flags.models?.split(','),
      requestsPerMinute: numberFlag('--rate-limit', flags['rate-limit']),
    });
    if (flags.json) {
      out(JSON.stringify({ id: record.id, key, label: record.label }));
    } else {
      out(`Created ${record.id} (${record.label}). The key, shown this once:`);
      out(key);
    }
    return 0;
  } catch (error) {
    if (error instanceof ClientKeyInputError) throw new Error(error.message);
    throw error;
  }
}

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number))
    throw new UsageError(
      `${name} must be a number, got ${JSON.stringify(value)}.`,
      'Write it as digits.',
      KEYS_HELP,
    );
  return number;
}

async function listKeys(
  records: ClientKeyRecord[],
  dataDir: string,
  flags: Flags,
  out: (line: string) => void,
  sharedSpending?: KeySpending,
) {
  const rows = sharedSpending
    ? await withSharedSpending(sharedSpending, records)
    : withSpending(dataDir, records);
  if (flags.json) {
    out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (rows.length === 0)
    out('No team keys. The default key still works; add one: kiro-dock keys create --label NAME');
  for (const row of rows) {
    const budget =
      row.creditLimit === undefined
        ? 'no budget'
        : `${row.spent}/${row.creditLimit} credits per ${row.period}`;
    const models = row.models ? `models ${row.models.join(',')}` : 'all models';
    const rate = row.requestsPerMinute === undefined ? '' : `  ${row.requestsPerMinute}/min`;
    const state = row.revokedAt === undefined ? 'active' : 'revoked';
    out(`${row.id}  ${row.label}  ${row.preview}  ${state}  ${budget}  ${models}${rate}`);
  }
  return 0;
}

/** Each key without its digest, with this period's credits as the replicas counted them in Redis. */
async function withSharedSpending(spending: KeySpending, records: ClientKeyRecord[]) {
  const now = systemClock.now();
  return Promise.all(
    records.map(async ({ digest: _digest, ...shown }) => {
      const spent = await spending.spent(shown.id, shown.period ?? 'month', now);
      return { ...shown, spent: Math.round(spent * 10_000) / 10_000 };
    }),
  );
}

/** Each key without its digest, with this period's credits from the ledger `serve` writes (0 while none). */
function withSpending(dataDir: string, records: ClientKeyRecord[]) {
  const file = usageLedgerFile(dataDir);
  const ledger = fs.existsSync(file) ? openSqliteUsageLedger(file, { mustExist: true }) : undefined;
  const now = systemClock.now();
  try {
    return records.map(({ digest: _digest, ...shown }) => {
      const since = periodWindow(shown.period ?? 'month', now).start;
      const spent = ledger ? Math.round(ledger.creditsSince(shown.id, since) * 10_000) / 10_000 : 0;
      return { ...shown, spent };
    });
  } finally {
    ledger?.close();
  }
}

async function revokeKey(
  keys: ReturnType<typeof createClientKeyRegistry>,
  id: string,
  out: (line: string) => void,
) {
  if (!(await keys.revoke(id)))
    throw new Error(`No client key ${JSON.stringify(id ?? '')}; see kiro-dock keys list.`);
  out(`Revoked ${id}: it is refused from the next request on.`);
  return 0;
}
