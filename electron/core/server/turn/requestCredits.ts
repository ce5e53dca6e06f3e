import type { RequestRecord } from './requestRecord.ts';

/**
 * The credits Kiro metered for a request's turn (the sum of its meteringEvents), when it metered any: the
 * `credits` of the requests log, the log line and the metrics. An answer replayed by the response cache cost none.
 */
export function creditsOf(record: RequestRecord): number | undefined {
  if (record.cache === 'hit' || record.cache === 'coalesced') return undefined;
  const end = record.events?.findLast((event) => event.type === 'end');
  return end?.type === 'end' ? end.usage.credits : undefined;
}
