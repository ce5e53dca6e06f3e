/** A finished request as the ledger keeps it, and what it cost its key. */
import { DEFAULT_KEY_IDENTITY, type KeyIdentity } from '../keys/clientKeyRecord.ts';
import type { RequestRecord } from './turn/requestRecord.ts';
import type { UsageRow } from '../usage/usageLedger.ts';
import { creditsOf } from './turn/requestCredits.ts';

export interface UsageFacts {
  key?: KeyIdentity;
  route: string;
  record: RequestRecord;
  /** Epoch ms when the request arrived. */
  at: number;
  durationMs: number;
  accountLabel?: string;
}

export function usageRowOf(facts: UsageFacts): UsageRow {
  const { record } = facts;
  const key = facts.key ?? DEFAULT_KEY_IDENTITY;
  const end = record.events?.findLast((event) => event.type === 'end');
  const usage = end?.type === 'end' ? end.usage : undefined;
  return {
    at: facts.at,
    keyId: key.id,
    keyLabel: key.label,
    route: facts.route,
    model: record.model,
    accountId: record.accountId,
    accountLabel: record.accountId === undefined ? undefined : facts.accountLabel,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cacheReadTokens: usage?.cacheReadInputTokens ?? 0,
    cacheWriteTokens: usage?.cacheCreationInputTokens ?? 0,
    credits: creditsOf(record) ?? 0,
    status: record.status,
    durationMs: facts.durationMs,
  };
}
