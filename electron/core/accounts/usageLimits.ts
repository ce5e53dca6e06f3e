/**
 * getUsageLimits answers (docs/upstream/endpoints.md §3) normalised into a QuotaSnapshot, and a forecast of when an
 * account runs dry. The answer's shape differs between plans, service versions and host families, so every field
 * is optional here; only an answer with no limit at all is an error.
 */
import { boundedResetAt } from '../time/outsideTime.ts';
import type { QuotaSnapshot } from './accountModel.ts';
import { asJsonObject } from '../json/parseJsonObject.ts';

type Grant = QuotaSnapshot['bonuses'][number];

interface Base {
  limit: number;
  used: number;
  entry?: Record<string, unknown>;
}

/** Pure: `now` (epoch ms) decides which free trials and bonuses are still active and becomes `fetchedAt`. */
export function normalizeUsageLimits(raw: unknown, now: number): QuotaSnapshot {
  const answer = asJsonObject(raw);
  if (!answer) throw new Error('getUsageLimits answered with something that is not a JSON object.');
  const base = baseFromBreakdown(answer) ?? baseFromLimits(answer);
  if (!base) {
    throw new Error(
      'getUsageLimits answered without any usage limit (no usageBreakdownList entry and no limits[] entry ' +
        'with a limit), so the quota of this account is unknown.',
    );
  }
  const freeTrial = base.entry ? freeTrialOf(base.entry, now) : undefined;
  const bonuses = base.entry ? bonusesOf(base.entry, now) : [];
  const active = [freeTrial, ...bonuses].filter((grant): grant is Grant => grant?.active === true);
  const limit = base.limit + sum(active.map((grant) => grant.limit));
  const used = base.used + sum(active.map((grant) => grant.used));
  const subscription = asJsonObject(answer['subscriptionInfo']);
  return {
    limit,
    used,
    remaining: Math.max(0, limit - used),
    resetsAt: boundedResetAt(
      epochMsOf(answer['nextDateReset']) ?? epochMsOf(base.entry?.['nextDateReset']),
      now,
    ),
    subscriptionTitle: stringOf(subscription?.['subscriptionTitle']),
    overageCapable: subscription?.['overageCapability'] === 'OVERAGE_CAPABLE',
    overageEnabled: asJsonObject(answer['overageConfiguration'])?.['overageStatus'] === 'ENABLED',
    freeTrial,
    bonuses,
    email: stringOf(asJsonObject(answer['userInfo'])?.['email']),
    fetchedAt: now,
  };
}

/**
 * Epoch ms at which `quota.remaining` reaches 0 if usage keeps growing at the rate the samples show (least
 * squares over the samples since the last drop, i.e. since the last reset), starting from the quota's own reading.
 * Undefined when usage is not rising, the quota resets first, or the samples are too few to say: fewer than
 * MIN_FORECAST_SAMPLES readings, spanning less than MIN_FORECAST_SPAN_MS, or usage grown by less than
 * MIN_FORECAST_GROWTH of the limit (0.2 credits used in ten minutes says nothing about the month).
 */
export function forecastExhaustion(
  samples: Array<{ at: number; used: number }>,
  quota: QuotaSnapshot,
): number | undefined {
  if (quota.remaining <= 0) return quota.fetchedAt;
  const recent = samplesSinceLastDrop(samples);
  if (!enoughToForecast(recent, quota.limit)) return undefined;
  const rate = usageRatePerMs(recent);
  if (rate === undefined || rate <= 0) return undefined;
  const exhaustedAt = quota.fetchedAt + quota.remaining / rate;
  if (quota.resetsAt !== undefined && exhaustedAt >= quota.resetsAt) return undefined;
  return Math.round(exhaustedAt);
}

/** The CREDIT entry (what Kiro bills), else the first entry; the older single `usageBreakdown` object counts too. */
function baseFromBreakdown(answer: Record<string, unknown>): Base | undefined {
  const list = Array.isArray(answer['usageBreakdownList'])
    ? answer['usageBreakdownList']
    : [answer['usageBreakdown']];
  const entries = list.map(asJsonObject).filter((entry) => entry !== undefined);
  const entry = entries.find((candidate) => candidate['resourceType'] === 'CREDIT') ?? entries[0];
  if (!entry) return undefined;
  const limit = preciseNumber(entry, 'usageLimit');
  if (limit === undefined) return undefined;
  return { limit, used: preciseNumber(entry, 'currentUsage') ?? 0, entry };
}

/** Older answers carry only `limits[]` ({type, currentUsage, totalUsageLimit}); agentic requests are what we spend. */
function baseFromLimits(answer: Record<string, unknown>): Base | undefined {
  const limits = Array.isArray(answer['limits']) ? answer['limits'].map(asJsonObject) : [];
  const usable = limits.filter(
    (entry): entry is Record<string, unknown> => numberOf(entry?.['totalUsageLimit']) !== undefined,
  );
  const entry = usable.find((candidate) => candidate['type'] === 'AGENTIC_REQUEST') ?? usable[0];
  if (!entry) return undefined;
  return { limit: numberOf(entry['totalUsageLimit']) ?? 0, used: numberOf(entry['currentUsage']) ?? 0 };
}

function freeTrialOf(entry: Record<string, unknown>, now: number): QuotaSnapshot['freeTrial'] {
  const info = asJsonObject(entry['freeTrialInfo']);
  if (!info) return undefined;
  const expiresAt = epochMsOf(info['freeTrialExpiry']);
  return {
    limit: preciseNumber(info, 'usageLimit') ?? 0,
    used: preciseNumber(info, 'currentUsage') ?? 0,
    expiresAt,
    active: isActive(info['freeTrialStatus'], expiresAt, now),
  };
}

function bonusesOf(entry: Record<string, unknown>, now: number): Grant[] {
  const bonuses = Array.isArray(entry['bonuses']) ? entry['bonuses'] : [];
  return bonuses
    .map(asJsonObject)
    .filter((bonus) => bonus !== undefined)
    .map((bonus) => {
      const expiresAt = epochMsOf(bonus['expiresAt']);
      return {
        limit: preciseNumber(bonus, 'usageLimit') ?? 0,
        used: preciseNumber(bonus, 'currentUsage') ?? 0,
        expiresAt,
        active: isActive(bonus['status'], expiresAt, now),
      };
    });
}

/** A grant counts unless its status says otherwise or its expiry has passed. */
function isActive(status: unknown, expiresAt: number | undefined, now: number): boolean {
  if (status !== undefined && status !== null && status !== 'ACTIVE') return false;
  return expiresAt === undefined || expiresAt > now;
}

export const MIN_FORECAST_SAMPLES = 3;
export const MIN_FORECAST_SPAN_MS = 30 * 60_000;
/** A share of the limit, and never less than one credit. */
export const MIN_FORECAST_GROWTH = 0.01;

/** `samples` sorted by time. */
function enoughToForecast(samples: Array<{ at: number; used: number }>, limit: number): boolean {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || samples.length < MIN_FORECAST_SAMPLES) return false;
  if (last.at - first.at < MIN_FORECAST_SPAN_MS) return false;
  return last.used - first.used >= Math.max(1, limit * MIN_FORECAST_GROWTH);
}

function samplesSinceLastDrop(samples: Array<{ at: number; used: number }>) {
  const sorted = samples
    .filter((sample) => Number.isFinite(sample.at) && Number.isFinite(sample.used))
    .sort((a, b) => a.at - b.at);
  let start = 0;
  for (let index = 1; index < sorted.length; index += 1) {
    if (sorted[index]!.used < sorted[index - 1]!.used) start = index;
  }
  return sorted.slice(start);
}

/** Least-squares slope of used over time, in units per ms. */
function usageRatePerMs(samples: Array<{ at: number; used: number }>): number | undefined {
  if (samples.length < 2) return undefined;
  const meanAt = sum(samples.map((sample) => sample.at)) / samples.length;
  const meanUsed = sum(samples.map((sample) => sample.used)) / samples.length;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.at - meanAt) * (sample.used - meanUsed);
    variance += (sample.at - meanAt) ** 2;
  }
  return variance === 0 ? undefined : covariance / variance;
}

/** `fooWithPrecision` is the exact value; `foo` is rounded and only present on older answers. */
function preciseNumber(record: Record<string, unknown>, field: string): number | undefined {
  return numberOf(record[`${field}WithPrecision`]) ?? numberOf(record[field]);
}

/** Kiro sends epoch SECONDS as floats; a value already in ms or an ISO date string is accepted too. */
function epochMsOf(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  const number = numberOf(value);
  if (number === undefined || number <= 0) return undefined;
  // Seconds-since-epoch stay below 1e11 until the year 5138; millisecond values are far above it.
  return Math.round(number < 1e11 ? number * 1000 : number);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
