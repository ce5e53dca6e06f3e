/**
 * The usage ledger in SQLite (better-sqlite3): one file, WAL mode with synchronous=NORMAL, so a committed row
 * survives the process being killed (only a power loss can take the last transactions), and `kiro-dock usage
 * export` can read while `serve` writes.
 */
import Database from 'better-sqlite3';
import type { UsageTotals } from '../../../shared/teamApi.ts';
import {
  BUCKET_MS,
  type UsageLedger,
  type UsageQuery,
  type UsageRow,
  type UsageSummary,
} from './usageLedger.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS usage (
  at INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  key_label TEXT NOT NULL,
  route TEXT NOT NULL,
  model TEXT,
  account_id TEXT,
  account_label TEXT,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL,
  credits REAL NOT NULL,
  status INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_at ON usage (at);
CREATE INDEX IF NOT EXISTS usage_key_at ON usage (key_id, at);
`;

const COLUMNS = {
  key: 'key_label',
  model: "coalesce(model, '')",
  account: "coalesce(account_label, account_id, '')",
} as const;

const TOTALS = `count(*) AS requests, sum(status >= 400) AS errors, sum(credits) AS credits,
  sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens`;

interface DbRow {
  at: number;
  key_id: string;
  key_label: string;
  route: string;
  model: string | null;
  account_id: string | null;
  account_label: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  credits: number;
  status: number;
  duration_ms: number;
}

/** `mustExist`: for readers (`kiro-dock usage export`), which must not create an empty ledger. */
export function openSqliteUsageLedger(file: string, options: { mustExist?: boolean } = {}): UsageLedger {
  const db = new Database(file, { fileMustExist: options.mustExist === true });
  // Waits for a writer in another process instead of failing at once.
  db.pragma('busy_timeout = 2000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const insert = db.prepare(`INSERT INTO usage VALUES (@at, @key_id, @key_label, @route, @model, @account_id,
        @account_label, @input_tokens, @output_tokens, @cache_read_tokens, @cache_write_tokens, @credits,
        @status, @duration_ms)`);
  const select = db.prepare<[number, number, number], DbRow>(
    'SELECT * FROM usage WHERE at >= ? AND at < ? ORDER BY at, rowid LIMIT ?',
  );
  const creditsSince = db.prepare<[string, number], { credits: number | null }>(
    'SELECT sum(credits) AS credits FROM usage WHERE key_id = ? AND at >= ?',
  );
  return {
    record(row) {
      insert.run(toDbRow(row));
    },
    rows({ since = 0, until = Number.MAX_SAFE_INTEGER, limit = 1_000_000 }) {
      return select.all(since, until, limit).map(fromDbRow);
    },
    summarize: (query) => summarize(db, query),
    creditsSince: (keyId, since) => creditsSince.get(keyId, since)?.credits ?? 0,
    prune: (before) => db.prepare('DELETE FROM usage WHERE at < ?').run(before).changes,
    close: () => db.close(),
  };
}

function summarize(db: Database.Database, query: UsageQuery): Omit<UsageSummary, 'ledger'> {
  const name = COLUMNS[query.by];
  const bucketMs = BUCKET_MS[query.bucket];
  const range = [query.since, query.until] as const;
  const totals = db
    .prepare<readonly [number, number], UsageTotals & { name: string }>(
      `SELECT ${name} AS name, ${TOTALS} FROM usage WHERE at >= ? AND at < ? GROUP BY 1 ORDER BY credits DESC, name`,
    )
    .all(range);
  const points = db
    .prepare<readonly [number, number], UsageTotals & { name: string; at: number }>(
      `SELECT (at / ${bucketMs}) * ${bucketMs} AS at, ${name} AS name, ${TOTALS}
       FROM usage WHERE at >= ? AND at < ? GROUP BY 1, 2 ORDER BY 1, 2`,
    )
    .all(range);
  return { query, totals: totals.map(roundCredits), points: points.map(roundCredits) };
}

/** Sums of REAL columns carry binary noise (0.1 + 0.2); four decimals is what Kiro reports. */
function roundCredits<T extends { credits: number }>(row: T): T {
  return { ...row, credits: Math.round(row.credits * 10_000) / 10_000 };
}

function toDbRow(row: UsageRow): DbRow {
  return {
    at: Math.round(row.at),
    key_id: row.keyId,
    key_label: row.keyLabel,
    route: row.route,
    model: row.model ?? null,
    account_id: row.accountId ?? null,
    account_label: row.accountLabel ?? null,
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    cache_read_tokens: row.cacheReadTokens,
    cache_write_tokens: row.cacheWriteTokens,
    credits: row.credits,
    status: row.status,
    duration_ms: Math.round(row.durationMs),
  };
}

function fromDbRow(row: DbRow): UsageRow {
  const result: UsageRow = {
    at: row.at,
    keyId: row.key_id,
    keyLabel: row.key_label,
    route: row.route,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cacheReadTokens: row.cache_read_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    credits: row.credits,
    status: row.status,
    durationMs: row.duration_ms,
  };
  if (row.model !== null) result.model = row.model;
  if (row.account_id !== null) result.accountId = row.account_id;
  if (row.account_label !== null) result.accountLabel = row.account_label;
  return result;
}
