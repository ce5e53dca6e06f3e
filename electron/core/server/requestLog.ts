import { UpstreamError } from '../kiro/upstreamError.ts';
import type { Logger } from '../ports.ts';
import { creditsOf } from './turn/requestCredits.ts';
import type { RequestOrigin, RequestRecord } from './turn/requestRecord.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

/** One log line per API request: what was asked, how it ended, how fast. Never prompt text, never tokens. */
export function logRequest(
  logger: Logger,
  origin: Pick<RequestOrigin, 'id' | 'method' | 'path' | 'source'>,
  record: RequestRecord,
  monotonicNow: number,
): void {
  const end = record.events?.findLast((event) => event.type === 'end');
  const usage = end?.type === 'end' ? end.usage : undefined;
  const fields = {
    requestId: origin.id,
    method: origin.method,
    path: origin.path,
    source: origin.source,
    status: record.status,
    model: record.model,
    kiroModel: record.modelId,
    account: record.accountId,
    attempts: record.attempts,
    cache: record.cache,
    ttftMs: record.firstOutputAt === undefined ? undefined : round(record.firstOutputAt - record.started),
    durationMs: round(monotonicNow - record.started),
    inputTokens: usage?.inputTokens,
    outputTokens: usage?.outputTokens,
    cacheReadTokens: usage?.cacheReadInputTokens,
    credits: creditsOf(record),
    stopReason: end?.type === 'end' ? end.stopReason : undefined,
    error: describeError(record.error),
  };
  if (record.status >= 500) logger.error(fields, 'request failed');
  else if (record.status >= 400) logger.warn(fields, 'request rejected');
  else logger.info(fields, 'request');
}

function describeError(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  if (error instanceof UpstreamError) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : errorMessage(error);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
