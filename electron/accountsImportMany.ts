/**
 * `kiro-dock accounts import-many FILE|-`: many refresh tokens or an export file at once, each proven with Kiro
 * (docs/batch-import.md), one line per entry as it is checked; a running `serve` picks the accounts up.
 */
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createAccountRepository, importManyLogins, type BatchImportItem } from './core/index.ts';
import { systemClock } from './core/ports.ts';
import { defaultDataDir } from './hostPaths.ts';
import { openSecretStore, openSettings } from './hostStores.ts';

export const IMPORT_MANY_HELP = `Usage: kiro-dock accounts import-many FILE|- [--data-dir DIR] [--secret-store auto|keychain|file]

  FILE holds refresh tokens (one per line, or separated by spaces or commas), an export of
  kiro-dock accounts export --with-secrets, or a JSON list of credentials; - reads standard input.
Exit status: 0 when every entry was added or already present, 1 when any failed.
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  'secret-store': { type: 'string', default: 'auto' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runImportMany(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (values.help || positionals.length !== 1) {
    out(IMPORT_MANY_HELP);
    return values.help ? 0 : 2;
  }
  const source = positionals[0]!;
  const text = source === '-' ? await readStdin() : await fs.readFile(source, 'utf8');
  const dataDir = values['data-dir'] ?? defaultDataDir();
  if (values['secret-store'] === 'memory')
    throw new Error('--secret-store memory keeps nothing after this command ends; use keychain or file.');
  const secrets = await openSecretStore(values['secret-store'] ?? 'auto', dataDir, (message) => {
    throw new Error(`${message}\nAccounts need a store that outlives this command.`);
  });
  const repository = createAccountRepository({
    settings: await openSettings(dataDir),
    secrets,
    clock: systemClock,
  });
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
