/** Data and queries the dashboard's tests share: one bucket or quota shape, one way to find a row or a call. */
import { screen, within } from '@testing-library/react';
import type { QuotaView, StatsBucket } from '../../../shared/adminApi.ts';
import type { FakeAdminApi } from './fakeAdminApi.ts';

/** One stats bucket in which nothing happened, unless `overrides` says otherwise. */
export function statsBucket(start: number, overrides: Partial<StatsBucket> = {}): StatsBucket {
  return {
    start,
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    responseCacheHits: 0,
    responseCacheMisses: 0,
    promptCacheReadTokens: 0,
    promptInputTokens: 0,
    ...overrides,
  };
}

/** 120 of 500 credits used, read a minute ago. */
export function quotaView(overrides: Partial<QuotaView> = {}): QuotaView {
  return {
    limit: 500,
    used: 120,
    remaining: 380,
    overageCapable: false,
    overageEnabled: false,
    bonuses: [],
    fetchedAt: Date.now() - 60_000,
    ...overrides,
  };
}

/** Queries scoped to one row of the accounts table. */
export function accountRow(id: string) {
  return within(screen.getByTestId(`account-row-${id}`));
}

export function callsTo(api: FakeAdminApi, method: string, path: string) {
  return api.calls.filter((call) => call.method === method && call.path === path);
}
