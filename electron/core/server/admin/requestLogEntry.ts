/** One finished API request as the dashboard's requests log shows it, from the record the routes report. */
import { creditsOf } from '../turn/requestCredits.ts';
import type { FailedAttemptView, RequestLogEntry } from '../../../../shared/adminApi.ts';
import type { RequestRecord } from '../turn/requestRecord.ts';
import { lastUserPrompt } from './lastUserPrompt.ts';
import { errorMessage } from '../../../../shared/errorMessage.ts';

export const PROMPT_MAX_CHARS = 2_000;
const ERROR_MAX_CHARS = 500;

export interface RequestFacts {
  id: string;
  route: string;
  /** Absent for HTTP requests. */
  source?: RequestLogEntry['source'];
  /** The parsed request body: where `stream` and (when captured) the prompt come from. */
  body: unknown;
  record: RequestRecord;
  /** Epoch ms now, and the clock's monotonicNow() now (the clock of the record's times). */
  now: number;
  monotonicNow: number;
  accountLabel?: string;
  /** The label of any account (the failed attempts name theirs). */
  labelOf?(accountId: string): string | undefined;
  capturePrompts: boolean;
}

export function toRequestLogEntry(facts: RequestFacts): RequestLogEntry {
  const { record } = facts;
  const durationMs = Math.max(0, facts.monotonicNow - record.started);
  const end = record.events?.findLast((event) => event.type === 'end');
  const usage = end?.type === 'end' ? end.usage : undefined;
  const entry: RequestLogEntry = {
    id: facts.id,
    at: Math.round(facts.now - durationMs),
    route: facts.route,
    source: facts.source,
    model: record.model,
    kiroModel: record.modelId,
    accountId: record.accountId,
    accountLabel: record.accountId === undefined ? undefined : facts.accountLabel,
    status: record.status,
    stream: (facts.body as { stream?: unknown } | undefined)?.stream === true,
    attempts: record.attempts,
    failedAttempts: failedAttemptViews(record, facts.labelOf),
    ttftMs: record.firstOutputAt === undefined ? undefined : round(record.firstOutputAt - record.started),
    durationMs: round(durationMs),
    inputTokens: usage?.inputTokens,
    outputTokens: usage?.outputTokens,
    cacheReadInputTokens: usage?.cacheReadInputTokens,
    cacheCreationInputTokens: usage?.cacheCreationInputTokens,
    credits: creditsOf(record),
    responseCache: record.cache,
    error: sentenceOf(record.error),
    prompt: facts.capturePrompts ? lastUserPrompt(facts.body, PROMPT_MAX_CHARS) : undefined,
  };
  // Absent rather than undefined: the entry is sent as JSON and kept in memory a thousand times over.
  for (const key of Object.keys(entry) as (keyof RequestLogEntry)[]) {
    if (entry[key] === undefined) delete entry[key];
  }
  return entry;
}

function failedAttemptViews(
  record: RequestRecord,
  labelOf: RequestFacts['labelOf'],
): FailedAttemptView[] | undefined {
  if (!record.failedAttempts?.length) return undefined;
  return record.failedAttempts.map((failed) => {
    const accountLabel = labelOf?.(failed.accountId);
    return accountLabel === undefined ? { ...failed } : { ...failed, accountLabel };
  });
}

function sentenceOf(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  const message = errorMessage(error);
  return message.length > ERROR_MAX_CHARS ? `${message.slice(0, ERROR_MAX_CHARS - 1)}…` : message;
}

function round(ms: number): number {
  return Math.max(0, Math.round(ms));
}
