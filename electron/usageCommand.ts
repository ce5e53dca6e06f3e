/**
 * `kiro-dock usage export`: the usage ledger `serve` writes (DIR/usage.sqlite), as CSV or JSON on stdout. It
 * reads while `serve` writes (the ledger is in WAL mode).
 */
import fs from 'node:fs';
import type { CliCommand } from './cli/cliCommand.ts';
import { parseCommandArgs } from './cli/commandArgs.ts';
import { unknownCommand, UsageError } from './cli/usageError.ts';
import { openSqliteUsageLedger, type UsageRow } from './core/index.ts';
import { systemClock } from './core/ports.ts';
import { defaultDataDir, usageLedgerFile } from './hostPaths.ts';

export const USAGE_HELP = `Usage: kiro-dock usage export --format csv|json [--since WHEN] [--until WHEN]

  Every finished request: time, key label, model, account, tokens, credits, status, duration.
  WHEN is a date or time (2026-11-01, 2026-11-01T09:00:00Z) or a span back from now (30m, 24h, 7d).
  Default: everything kept (setting usageRetentionDays, default 90).

Common options: --data-dir DIR (as for serve)
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  format: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const CSV_COLUMNS = [
  'time',
  'key',
  'key_id',
  'route',
  'model',
  'account',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'credits',
  'status',
  'duration_ms',
] as const;

export const usageCommand: CliCommand = {
  summary: 'Export the usage ledger as CSV or JSON',
  run: (args) => Promise.resolve(runUsage(args, (text) => process.stdout.write(text))),
};

export function runUsage(argv: string[], out: (text: string) => void): number {
  const { values, positionals } = parseCommandArgs(
    { name: 'usage', usage: USAGE_HELP, options: OPTIONS, allowPositionals: true },
    argv,
  );
  const [action] = positionals;
  if (values.help) {
    out(USAGE_HELP);
    return 0;
  }
  if (action === undefined)
    throw new UsageError('usage needs a command: export.', 'Run kiro-dock usage --help.', USAGE_HELP);
  if (action !== 'export') throw unknownCommand('usage command', action, ['export'], USAGE_HELP);
  const format = values.format;
  if (format !== 'csv' && format !== 'json')
    throw new UsageError(
      `usage export needs --format csv or --format json${format ? `, got ${JSON.stringify(format)}` : ''}.`,
      'Add --format csv or --format json.',
      USAGE_HELP,
    );
  const now = systemClock.now();
  const since = values.since === undefined ? 0 : parseWhen('--since', values.since, now);
  const until =
    values.until === undefined ? Number.MAX_SAFE_INTEGER : parseWhen('--until', values.until, now);
  const file = usageLedgerFile(values['data-dir'] ?? defaultDataDir());
  if (!fs.existsSync(file))
    throw new Error(`No usage ledger at ${file} yet: kiro-dock serve records every finished request there.`);
  const ledger = openSqliteUsageLedger(file, { mustExist: true });
  try {
    const rows = ledger.rows({ since, until });
    out(format === 'json' ? `${JSON.stringify(rows.map(jsonRow), null, 2)}\n` : toCsv(rows));
  } finally {
    ledger.close();
  }
  return 0;
}

const SPAN = /^(\d+)(m|h|d)$/;
const SPAN_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A span back from now (`7d`) or a date the user typed; anything else is a clear error. */
export function parseWhen(flag: string, value: string, now: number): number {
  const span = SPAN.exec(value.trim());
  if (span) return now - Number(span[1]) * SPAN_MS[span[2] as keyof typeof SPAN_MS];
  const at = Date.parse(value);
  if (Number.isNaN(at))
    throw new UsageError(
      `${flag} must be a date or a span, got ${JSON.stringify(value)}.`,
      'Write a date (2026-11-01, 2026-11-01T09:00:00Z) or a span back from now (30m, 24h, 7d).',
      USAGE_HELP,
    );
  return at;
}

function jsonRow(row: UsageRow): object {
  return { ...row, time: new Date(row.at).toISOString() };
}

function toCsv(rows: UsageRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        new Date(row.at).toISOString(),
        row.keyLabel,
        row.keyId,
        row.route,
        row.model ?? '',
        row.accountLabel ?? row.accountId ?? '',
        row.inputTokens,
        row.outputTokens,
        row.cacheReadTokens,
        row.cacheWriteTokens,
        row.credits,
        row.status,
        row.durationMs,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * RFC 4180 quoting; a text cell that a spreadsheet would run as a formula (= + - @) is prefixed with ', so a
 * label someone chose cannot become one.
 */
function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
