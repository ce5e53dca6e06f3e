/**
 * A client key handed to one person or tool of a team: what it may do and what it may spend. Only the key's
 * SHA-256 digest is kept; the key itself is shown once, when it is created.
 */
import { createHash } from 'node:crypto';

export type BudgetPeriod = 'day' | 'month';

export interface KeyLimits {
  /** Kiro credits (as meteringEvent reports them) the key may spend per period; absent: no budget. */
  creditLimit?: number;
  /** Defaults to month when a credit limit is set. */
  period?: BudgetPeriod;
  /** Client model ids the key may ask for; absent or empty: every model. */
  models?: string[];
  /** Requests per minute; absent: no rate limit. */
  requestsPerMinute?: number;
}

export interface ClientKeyRecord extends KeyLimits {
  id: string;
  label: string;
  /** Hex SHA-256 of the key. */
  digest: string;
  /** `kd-…abcd`: enough to recognise the key, never enough to use it. */
  preview: string;
  createdAt: number;
  revokedAt?: number;
}

/** The key a request was authenticated with, as the policy, the recorder and the ledger see it. */
export interface KeyIdentity extends KeyLimits {
  id: string;
  label: string;
}

/** The single key of a plain install (KIRO_DOCK_API_KEY or the stored one): no limits, always allowed. */
export const DEFAULT_KEY_IDENTITY: KeyIdentity = { id: 'default', label: 'default' };

export function keyDigest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function keyPreview(key: string): string {
  return `kd-…${key.slice(-4)}`;
}

export function identityOf(record: ClientKeyRecord): KeyIdentity {
  const { id, label, creditLimit, period, models, requestsPerMinute } = record;
  return { id, label, creditLimit, period, models, requestsPerMinute };
}

/** What is wrong with limits a user typed, in words that say how to fix it; undefined when they are fine. */
export function keyLimitsProblem(limits: KeyLimits & { label?: string }): string | undefined {
  if (limits.label !== undefined && limits.label.trim().length === 0) return 'The label must not be empty.';
  if (limits.label !== undefined && limits.label.length > 100)
    return 'The label is longer than 100 characters.';
  if (limits.creditLimit !== undefined && !(Number.isFinite(limits.creditLimit) && limits.creditLimit > 0))
    return `The credit limit must be a positive number, got ${String(limits.creditLimit)}.`;
  if (limits.period !== undefined && limits.period !== 'day' && limits.period !== 'month')
    return `The period must be day or month, got ${JSON.stringify(limits.period)}.`;
  if (
    limits.requestsPerMinute !== undefined &&
    !(Number.isInteger(limits.requestsPerMinute) && limits.requestsPerMinute > 0)
  )
    return `The rate limit must be a whole number of requests per minute above 0, got ${String(limits.requestsPerMinute)}.`;
  if (limits.models?.some((model) => model.trim().length === 0)) return 'A model name in the list is empty.';
  return undefined;
}
