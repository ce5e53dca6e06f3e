import { describe, expect, it } from 'vitest';
import { RECENT_REQUESTS_KEPT, type RequestLogEntry } from '../../../shared/adminApi.ts';
import { account, defaultSettings, emptyStats } from '../testing/fakeAdminApi.ts';
import {
  accountCounts,
  dashboardReducer,
  initialDashboardState,
  type DashboardState,
} from './dashboardState.ts';

function loaded(): DashboardState {
  return dashboardReducer(initialDashboardState, {
    type: 'loaded',
    accounts: [account({ id: 'a' }), account({ id: 'b' }), account({ id: 'c' })],
    strategy: 'sequential',
    stats: emptyStats(0),
  });
}

function request(id: string): RequestLogEntry {
  return { id, at: 0, route: '/v1/messages', status: 200, stream: true, durationMs: 5 };
}

describe('dashboard state', () => {
  it('updates an account in place, keeping the table order', () => {
    const next = dashboardReducer(loaded(), {
      type: 'event',
      event: { type: 'account', account: account({ id: 'b', disabled: true, state: { kind: 'disabled' } }) },
    });
    expect(next.accounts?.map((a) => [a.id, a.state.kind])).toEqual([
      ['a', 'active'],
      ['b', 'disabled'],
      ['c', 'active'],
    ]);
    expect(accountCounts(next.accounts)).toEqual({ ok: 2, total: 3 });
  });

  it('does not take one account event for the whole pool before the first load', () => {
    const early = dashboardReducer(initialDashboardState, {
      type: 'event',
      event: { type: 'account', account: account({ id: 'a' }) },
    });
    expect(early.accounts).toBeUndefined();
    expect(dashboardReducer(early, { type: 'account_changed', account: account({ id: 'a' }) }).accounts).toBe(
      undefined,
    );
  });

  it('appends new accounts and drops removed ones', () => {
    let state = dashboardReducer(loaded(), {
      type: 'event',
      event: { type: 'account', account: account({ id: 'd' }) },
    });
    state = dashboardReducer(state, { type: 'event', event: { type: 'account_removed', id: 'a' } });
    expect(state.accounts?.map((a) => a.id)).toEqual(['b', 'c', 'd']);
  });

  it('keeps the newest requests first, once each, and at most the kept number', () => {
    let state = loaded();
    for (let i = 0; i < RECENT_REQUESTS_KEPT + 5; i += 3) {
      // A batch is newest first, like the log.
      const batch = [request(`r${i + 2}`), request(`r${i + 1}`), request(`r${i}`)];
      state = dashboardReducer(state, { type: 'event', event: { type: 'requests', requests: batch } });
    }
    state = dashboardReducer(state, {
      type: 'event',
      event: { type: 'requests', requests: [request('r1000')] },
    });
    expect(state.requests).toHaveLength(RECENT_REQUESTS_KEPT);
    expect(state.requests.slice(0, 3).map((entry) => entry.id)).toEqual(['r1000', 'r1004', 'r1003']);
    expect(state.requests.filter((entry) => entry.id === 'r1000')).toHaveLength(1);
  });

  it('takes the strategy and the capture switch from a settings event', () => {
    const settings = { ...defaultSettings(), poolStrategy: 'most-quota' as const, capturePrompts: true };
    const state = dashboardReducer(loaded(), { type: 'event', event: { type: 'settings', settings } });
    expect(state.strategy).toBe('most-quota');
    expect(state.capturePrompts).toBe(true);
  });

  it('keeps the last health reading but marks the proxy unreachable when a poll fails', () => {
    const health = { ...createHealth(), status: 'degraded' as const };
    let state = dashboardReducer(loaded(), { type: 'health', health });
    state = dashboardReducer(state, { type: 'health', health: undefined });
    expect(state.unreachable).toBe(true);
    expect(state.health?.status).toBe('degraded');
    state = dashboardReducer(state, { type: 'health', health });
    expect(state.unreachable).toBe(false);
  });
});

function createHealth() {
  return {
    status: 'ok' as const,
    version: '1',
    uptimeSeconds: 1,
    accounts: { total: 3, byState: { active: 3 } },
    upstream: { state: 'unknown' as const },
    inFlight: 0,
  };
}
