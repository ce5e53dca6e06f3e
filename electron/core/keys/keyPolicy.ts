/**
 * What a client key may do, checked before a request reaches Kiro: the models it may ask for, its requests per
 * minute, and its credit budget for the period. Spending is known only once a turn ends (Kiro's meteringEvent
 * comes last: docs/credits-metering.md), so a key is refused from the request after the one that reached its budget.
 */
import type { Clock } from '../ports.ts';
import { periodWindow } from './budgetPeriod.ts';
import type { KeyIdentity } from './clientKeyRecord.ts';
import { KeyRefusal } from './keyRefusal.ts';
import type { KeySpending } from './keySpending.ts';
import type { RequestRateLimiter } from './requestRateLimiter.ts';

export interface KeyPolicyDeps {
  spending: KeySpending;
  rateLimiter: RequestRateLimiter;
  clock: Clock;
}

/** Throws a KeyRefusal when the key may not make this request (and counts it towards the rate when it may). */
export async function checkKeyPolicy(deps: KeyPolicyDeps, key: KeyIdentity, model: unknown): Promise<void> {
  if (typeof model === 'string' && !modelAllowed(key.models, model)) {
    throw new KeyRefusal(
      `The client key "${key.label}" may not use the model "${model}"; it may use: ${key.models!.join(', ')}. ` +
        'Ask for one of those, or for a key that allows this model.',
      403,
      'permission_error',
      'model_not_allowed',
    );
  }
  await checkBudget(deps, key);
  if (key.requestsPerMinute !== undefined) {
    const taken = await deps.rateLimiter.take(key.id, key.requestsPerMinute);
    if (!taken.allowed) {
      const seconds = Math.ceil(taken.retryAfterMs / 1000);
      throw new KeyRefusal(
        `The client key "${key.label}" is limited to ${key.requestsPerMinute} requests per minute; ` +
          `retry in ${seconds} s.`,
        429,
        'rate_limit_error',
        'key_rate_limited',
        seconds,
      );
    }
  }
}

async function checkBudget(deps: KeyPolicyDeps, key: KeyIdentity): Promise<void> {
  if (key.creditLimit === undefined) return;
  const period = key.period ?? 'month';
  const now = deps.clock.now();
  const spent = await deps.spending.spent(key.id, period, now);
  if (spent < key.creditLimit) return;
  const { resetsAt } = periodWindow(period, now);
  throw new KeyRefusal(
    `The client key "${key.label}" has used its budget of ${key.creditLimit} credits per ${period} ` +
      `(${round(spent)} spent); the budget resets at ${new Date(resetsAt).toISOString()}.`,
    429,
    'rate_limit_error',
    'key_budget_exceeded',
    Math.max(1, Math.ceil((resetsAt - now) / 1000)),
  );
}

/** Exact ids, or a prefix ending in `*` (`claude-sonnet-*` covers every dated Sonnet id). */
export function modelAllowed(allowed: string[] | undefined, model: string): boolean {
  if (allowed === undefined || allowed.length === 0) return true;
  return allowed.some((entry) =>
    entry.endsWith('*') ? model.startsWith(entry.slice(0, -1)) : entry === model,
  );
}

function round(credits: number): number {
  return Math.round(credits * 1000) / 1000;
}
