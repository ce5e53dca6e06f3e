/**
 * `kiro-dock accounts import-many FILE|-`: many refresh tokens or an export file at once, each proven with Kiro
 * (docs/batch-import.md), one line per entry as it is checked; a running `serve` picks the accounts up.
 */
import fs from 'node:fs/promises';
import { importManyLogins, type BatchImportItem } from './core/index.ts';
import { checkAccountStoreFlags, openAccountRepository } from './accountsStore.ts';
import { HELP_OPTION } from './cli/cliCommand.ts';
import { parseCommandArgs } from './cli/commandArgs.ts';
import { UsageError } from './cli/usageError.ts';

export const IMPORT_MANY_HELP = `Usage: kiro-dock accounts import-many FILE|- [--data-dir DIR] [--secret-store auto|keychain|file]

  FILE holds refresh tokens (one per line, or separated by spaces or commas), an export of
  kiro-dock accounts export --with-secrets, or a JSON list of credentials; - reads standard input.
Exit status: 0 when every entry was added or already present, 1 when any failed.
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  'secret-store': { type: 'string' },
  ...HELP_OPTION,
} as const;

export async function runImportMany(argv: string[], out: (line: string) => void): Promise<number> {
  const spec = {
    name: 'accounts import-many',
    usage: IMPORT_MANY_HELP,
    options: OPTIONS,
    allowPositionals: true,
  };
  const { values, positionals } = parseCommandArgs(spec, argv);
  if (values.help) {
    out(IMPORT_MANY_HELP);
    return 0;
  }
  const [source, ...extra] = positionals;
  if (source === undefined || extra.length > 0)
    throw new UsageError(
      source === undefined
        ? 'accounts import-many needs the file to read.'
        : 'accounts import-many reads one file.',
      'Name a file, or - for standard input.',
      IMPORT_MANY_HELP,
    );
  checkAccountStoreFlags(values, IMPORT_MANY_HELP);
  const text = source === '-' ? await readStdin() : await fs.readFile(source, 'utf8');
  const repository = await openAccountRepository(values, { withSecrets: true });
  const printed = new Set<number>();
  const items = await importManyLogins(
    { repository, upstreamUrl: process.env['KIRO_DOCK_UPSTREAM_URL'] || undefined },
    text,
    (progress) => {
      for (const item of progress) {
        if (item.status === 'pending' || printed.has(item.index)) continue;
        printed.add(item.index);
        out(describe(item));
      }
    },
  );
  const count = (status: BatchImportItem['status']) => items.filter((item) => item.status === status).length;
  out(`${count('added')} added, ${count('duplicate')} already present, ${count('failed')} failed.`);
  return count('failed') > 0 ? 1 : 0;
}

function describe(item: BatchImportItem): string {
  const head = `${item.index} (${item.preview})`;
  if (item.status === 'added') return `${head}: added ${item.accountId}.`;
  return `${head}: ${item.status === 'duplicate' ? 'duplicate' : 'failed'} — ${item.message}`;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
