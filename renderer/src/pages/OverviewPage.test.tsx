// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestLogEntry, StatsResponse } from '../../../shared/adminApi.ts';
import { emptyStats } from '../testing/fakeAdminApi.ts';
import { statsBucket as bucket } from '../testing/fixtures.ts';
import { renderDashboard } from '../testing/renderDashboard.tsx';
import { DAY_STATS_REFRESH_MS } from './OverviewPage.tsx';

afterEach(() => {
  vi.useRealTimers();
  cleanup();
});

/** A 15-minute window with two active seconds out of 900. */
function busyQuarter(): StatsResponse {
  const to = Math.floor(Date.now() / 1_000) * 1_000 + 1_000;
  const from = to - 900_000;
  return {
    window: '15m',
    bucketMs: 1_000,
    from,
    to,
    buckets: [
      bucket(from + 10_000, {
        requests: 3,
        errors: 1,
        ttftP50Ms: 420,
        ttftP95Ms: 1_250,
        latencyP50Ms: 2_000,
        latencyP95Ms: 4_000,
        inputTokens: 1_200,
        outputTokens: 200,
      }),
      bucket(from + 600_000, { requests: 1, inputTokens: 300, outputTokens: 100, ttftP95Ms: 800 }),
    ],
    totals: {
      requestsPerMinute: 12,
      errorRate: 0.25,
      activeStreams: 3,
      responseCacheHitRate: 0.5,
      promptCacheHitRate: 0.75,
      caches: {},
    },
  };
}

function dayWindow(): StatsResponse {
  const to = Math.floor(Date.now() / 60_000) * 60_000 + 60_000;
  const from = to - 24 * 3_600_000;
  return {
    window: '24h',
    bucketMs: 60_000,
    from,
    to,
    buckets: [bucket(from + 60_000, { requests: 40, errors: 4, inputTokens: 5_000, outputTokens: 900 })],
    totals: { requestsPerMinute: 12, errorRate: 0.1, activeStreams: 3, caches: {} },
  };
}

const card = (testId: string) => screen.getByTestId(testId).textContent ?? '';

describe('overview page', () => {
  it('shows the figures of the last 15 minutes and charts every second of the window', async () => {
    renderDashboard({ state: { stats: busyQuarter() } });
    await waitFor(() => expect(card('stat-rpm')).toContain('12'));
    expect(card('stat-error-rate')).toContain('25%');
    expect(card('stat-error-rate')).toContain('1 failed of 4');
    expect(card('stat-active-streams')).toContain('3');
    expect(card('stat-response-cache-hit-rate')).toContain('50%');
    expect(card('stat-prompt-cache-hit-rate')).toContain('75%');
    expect(card('stat-tokens')).toContain('1,500 / 300');
    expect(card('stat-proxy')).toContain('http://127.0.0.1:8765');

    const ttft = screen.getByTestId('chart-ttft');
    expect(ttft.getAttribute('data-points')).toBe('900');
    expect(within(ttft).getByText('Time to first token')).toBeTruthy();
    // The legend summarises each line by its peak: p50 has one sample, p95 two.
    expect(ttft.textContent).toContain('peak 420 ms');
    expect(ttft.textContent).toContain('peak 1.3 s');
    expect(screen.getByTestId('chart-requests').textContent).toContain('Requests and errors per second');
    expect(screen.getByTestId('chart-cache-hit-rate').textContent).toContain('no samples');
  });

  it('charts the 15 minutes by the minute, and the last 2 minutes by the second when zoomed', async () => {
    const user = userEvent.setup();
    const stats = busyQuarter();
    const minute = (at: number) => Math.floor(at / 60_000) * 60_000;
    stats.minuteBuckets = [
      bucket(minute(stats.from + 10_000), { requests: 3, errors: 1, latencyP50Ms: 2_000 }),
      bucket(minute(stats.from + 600_000), { requests: 1 }),
    ];
    stats.buckets.push(bucket(stats.to - 5_000, { requests: 2, latencyP50Ms: 900 }));
    renderDashboard({ state: { stats } });
    const requests = await screen.findByTestId('chart-requests');
    expect(requests.getAttribute('data-points')).toBe('16');
    expect(requests.textContent).toContain('Requests and errors per minute');
    expect(requests.getAttribute('data-samples')).toBe('2');

    const zoom = screen.getByRole('button', { name: 'Last 2 minutes, per second' });
    await user.click(zoom);
    expect(zoom.getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(screen.getByTestId('chart-requests').getAttribute('data-points')).toBe('120'));
    expect(screen.getByTestId('chart-requests').textContent).toContain('Requests and errors per second');
    expect(screen.getByTestId('chart-requests').getAttribute('data-samples')).toBe('1');
    expect(screen.getByTestId('chart-latency').textContent).toContain('peak 900 ms');
  });

  it('shows requests, failures and tokens per model from the requests log of the window', async () => {
    const stats = busyQuarter();
    const at = stats.from + 60_000;
    const request = (id: string, model: string, extra: Partial<RequestLogEntry> = {}): RequestLogEntry => ({
      id,
      at,
      route: '/v1/messages',
      model,
      status: 200,
      stream: true,
      durationMs: 100,
      inputTokens: 100,
      outputTokens: 10,
      ...extra,
    });
    renderDashboard({
      state: {
        stats,
        requests: [
          request('a', 'claude-sonnet-4-5'),
          request('b', 'claude-sonnet-4-5', { status: 500, error: 'Kiro failed' }),
          request('c', 'claude-haiku-4-5', { inputTokens: 1_000, outputTokens: 50 }),
          request('old', 'claude-opus-4-1', { at: stats.from - 60_000 }),
        ],
      },
    });
    const usage = await screen.findByTestId('model-usage');
    const rows = within(usage).getAllByTestId('model-usage-row');
    expect(rows.map((row) => row.getAttribute('data-model'))).toEqual([
      'claude-sonnet-4-5',
      'claude-haiku-4-5',
    ]);
    expect(rows[0]!.textContent).toBe('claude-sonnet-4-521200 / 20');
    expect(rows[1]!.textContent).toBe('claude-haiku-4-5101,000 / 50');
    expect(usage.textContent).toContain('From the requests log: 3 requests in this window.');
  });

  it('says which caches took no part instead of showing 0%', async () => {
    const stats = busyQuarter();
    delete stats.totals.responseCacheHitRate;
    renderDashboard({ state: { stats } });
    await waitFor(() => expect(card('stat-rpm')).toContain('12'));
    expect(card('stat-response-cache-hit-rate')).toContain('not used in this window');
    expect(card('stat-response-cache-hit-rate')).not.toContain('0%');
  });

  it('follows the stats pushed every few seconds', async () => {
    const { api } = renderDashboard({ state: { stats: busyQuarter() } });
    await waitFor(() => expect(api.openStreams()).toBe(1));
    await waitFor(() => expect(card('stat-rpm')).toContain('12'));
    const next = busyQuarter();
    next.totals = { ...next.totals, requestsPerMinute: 57, activeStreams: 9 };
    api.emit({ type: 'stats', stats: next });
    await waitFor(() => expect(card('stat-rpm')).toContain('57'));
    expect(card('stat-active-streams')).toContain('9');
  });

  it('tells the user how to send the first request when there was no traffic', async () => {
    renderDashboard({ state: { stats: emptyStats() } });
    const empty = await screen.findByRole('status', { name: /No requests yet/ });
    await waitFor(() => expect(empty.textContent).toContain('Point Claude Code at http://127.0.0.1:8765'));
    expect(within(empty).getByRole('link', { name: 'Claude Code setup in Settings' })).toBeTruthy();
    expect(screen.queryByTestId('chart-requests')).toBeNull();
  });

  it('loads the last 24 hours when chosen, refreshes them while shown, and stops after switching back', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { api } = renderDashboard({ state: { stats: busyQuarter() } });
    api.override('GET', '/admin/stats?window=24h', () => ({ status: 200, body: dayWindow() }));
    const dayCalls = () => api.calls.filter((call) => call.path === '/admin/stats?window=24h').length;
    await waitFor(() => expect(card('stat-rpm')).toContain('12'));
    expect(dayCalls()).toBe(0);

    await userEvent.click(screen.getByRole('button', { name: '24 h' }));
    await waitFor(() =>
      expect(screen.getByTestId('chart-requests').getAttribute('data-points')).toBe('1440'),
    );
    expect(dayCalls()).toBe(1);
    expect(screen.getByRole('button', { name: '24 h' }).getAttribute('aria-pressed')).toBe('true');
    expect(card('stat-error-rate')).toContain('10%');
    expect(card('stat-tokens')).toContain('5,000 / 900');
    expect(screen.getByTestId('chart-requests').textContent).toContain('per minute');

    act(() => void vi.advanceTimersByTime(DAY_STATS_REFRESH_MS));
    await waitFor(() => expect(dayCalls()).toBe(2));

    await userEvent.click(screen.getByRole('button', { name: '15 min' }));
    await waitFor(() => expect(screen.getByTestId('chart-requests').getAttribute('data-points')).toBe('900'));
    act(() => void vi.advanceTimersByTime(DAY_STATS_REFRESH_MS * 3));
    expect(dayCalls()).toBe(2);
  });

  it('says so, and retries, when the last 24 hours cannot be loaded', async () => {
    const { api } = renderDashboard({ state: { stats: busyQuarter() } });
    let fail = true;
    api.override('GET', '/admin/stats?window=24h', () =>
      fail
        ? { status: 500, body: { error: { message: 'stats unavailable' } } }
        : { status: 200, body: dayWindow() },
    );
    await userEvent.click(await screen.findByRole('button', { name: '24 h' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The last 24 hours could not be loaded: stats unavailable',
    );
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() =>
      expect(screen.getByTestId('chart-requests').getAttribute('data-points')).toBe('1440'),
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('speaks Chinese', async () => {
    renderDashboard({ language: 'zh', state: { stats: busyQuarter() } });
    expect(await screen.findByRole('heading', { name: '概览' })).toBeTruthy();
    await waitFor(() => expect(card('stat-rpm')).toContain('每分钟请求数'));
    expect(screen.getByRole('button', { name: '24 小时' })).toBeTruthy();
    expect(screen.getByTestId('chart-ttft').textContent).toContain('首个 token 耗时');
  });
});
