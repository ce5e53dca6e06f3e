/**
 * The usage ledger: one row per finished request, kept in an embedded database so a team can tell who spent
 * what. The port lets the core run without one (the desktop app, tests that do not care).
 */
import type { UsageBucket, UsageQuery, UsageSummary } from '../../../shared/teamApi.ts';

export interface UsageRow {
  /** Epoch ms when the request arrived. */
  at: number;
  keyId: string;
  keyLabel: string;
  route: string;
  model?: string;
  accountId?: string;
  accountLabel?: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Kiro credits the turn cost (0 when Kiro reported none or the answer came from the response cache). */
  credits: number;
  status: number;
  durationMs: number;
}

export type { UsageBucket, UsageDimension, UsageQuery, UsageSummary } from '../../../shared/teamApi.ts';

export interface UsageLedger {
  record(row: UsageRow): void;
  /** Rows from `since` on (oldest first), at most `limit` of them. */
  rows(filter: { since?: number; until?: number; limit?: number }): UsageRow[];
  summarize(query: UsageQuery): Omit<UsageSummary, 'ledger'>;
  /** Credits one key spent since a time: budgets read it at start. */
  creditsSince(keyId: string, since: number): number;
  /** Deletes rows older than `before`; returns how many. */
  prune(before: number): number;
  close(): void;
}

export const BUCKET_MS: Record<UsageBucket, number> = { hour: 3_600_000, day: 86_400_000 };
