/**
 * The admin API's contract for a team: client keys (`/admin/keys`) and the usage ledger (`/admin/usage`).
 */

export type BudgetPeriodView = 'day' | 'month';

/** A client key as the admin API shows it: never the key, never its digest. */
export interface ClientKeyView {
  id: string;
  label: string;
  /** `kd-…abcd`. */
  preview: string;
  createdAt: number;
  revokedAt?: number;
  creditLimit?: number;
  period?: BudgetPeriodView;
  models?: string[];
  requestsPerMinute?: number;
  /** Credits spent in the current period (the budget's period, else this month). */
  spent: number;
  /** When the current period ends. */
  resetsAt: number;
}

export interface ListClientKeysResponse {
  keys: ClientKeyView[];
}

export interface CreateClientKeyBody {
  label: string;
  creditLimit?: number;
  period?: BudgetPeriodView;
  models?: string[];
  requestsPerMinute?: number;
}

/** The only answer that carries the key itself. */
export interface CreatedClientKeyResponse {
  id: string;
  key: string;
  label: string;
}

export type UsageDimension = 'key' | 'model' | 'account';
export type UsageBucket = 'hour' | 'day';
export const USAGE_DIMENSIONS: readonly UsageDimension[] = ['key', 'model', 'account'];
export const USAGE_BUCKETS: readonly UsageBucket[] = ['hour', 'day'];

export interface UsageQuery {
  since: number;
  until: number;
  by: UsageDimension;
  bucket: UsageBucket;
}

export interface UsageTotals {
  requests: number;
  errors: number;
  credits: number;
  inputTokens: number;
  outputTokens: number;
}

export interface UsageSeriesPoint extends UsageTotals {
  /** Start of the bucket, epoch ms. */
  at: number;
  name: string;
}

/** `GET /admin/usage?since&until&by&bucket`. */
export interface UsageSummary {
  query: UsageQuery;
  /** Per name (key label, model, account label) over the whole range, most credits first. */
  totals: Array<UsageTotals & { name: string }>;
  points: UsageSeriesPoint[];
  /** False when this Kiro Dock keeps no ledger (the answer is then empty). */
  ledger: boolean;
}
