// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientKeyView, UsageSummary } from '../../../shared/teamApi.ts';
import { App } from '../App.tsx';
import { createI18n, type Language } from '../i18n/i18n.ts';
import { createFakeAdminApi, type FakeAdminApi } from '../testing/fakeAdminApi.ts';
import { usageChartData } from './usage/usageSeries.ts';

afterEach(cleanup);

const HOUR = 3_600_000;
const SINCE = Date.UTC(2026, 0, 1);

function summary(overrides: Partial<UsageSummary> = {}): UsageSummary {
  return {
    query: { since: SINCE, until: SINCE + 3 * HOUR, by: 'key', bucket: 'hour' },
    totals: [
      { name: 'alice', requests: 3, errors: 1, credits: 4.5, inputTokens: 300, outputTokens: 60 },
      { name: 'ci', requests: 1, errors: 0, credits: 0.25, inputTokens: 10, outputTokens: 5 },
    ],
    points: [
      { at: SINCE, name: 'alice', requests: 2, errors: 0, credits: 4, inputTokens: 200, outputTokens: 40 },
      {
        at: SINCE + 2 * HOUR,
        name: 'alice',
        requests: 1,
        errors: 1,
        credits: 0.5,
        inputTokens: 100,
        outputTokens: 20,
      },
      {
        at: SINCE + 2 * HOUR,
        name: 'ci',
        requests: 1,
        errors: 0,
        credits: 0.25,
        inputTokens: 10,
        outputTokens: 5,
      },
    ],
    ledger: true,
    ...overrides,
  };
}

const aliceKey: ClientKeyView = {
  id: 'key_1',
  label: 'alice',
  preview: 'kd-…abcd',
  createdAt: SINCE,
  creditLimit: 10,
  period: 'day',
  spent: 4.5,
  resetsAt: SINCE + 24 * HOUR,
};

/** The dashboard on the Usage page, with the usage and key routes answered before anything renders. */
function renderUsage(options: { usage?: UsageSummary; keys?: ClientKeyView[]; language?: Language } = {}) {
  const api: FakeAdminApi = createFakeAdminApi();
  let keys = options.keys ?? [aliceKey];
  api.override('GET', /^\/admin\/usage\?/, () => ({ status: 200, body: options.usage ?? summary() }));
  api.override('GET', '/admin/keys', () => ({ status: 200, body: { keys } }));
  api.override('POST', '/admin/keys', (call) => {
    const label = (call.body as { label: string }).label;
    keys = [
      ...keys,
      { ...aliceKey, id: 'key_2', label, creditLimit: undefined, period: undefined, spent: 0 },
    ];
    return { status: 201, body: { id: 'key_2', key: 'kd-the-new-secret-key', label } };
  });
  api.override('DELETE', '/admin/keys/key_1', () => {
    keys = keys.map((key) => (key.id === 'key_1' ? { ...key, revokedAt: SINCE } : key));
    return { status: 204 };
  });
  localStorage.clear();
  localStorage.setItem('kiro-dock.session', 'session-token');
  window.location.hash = '#/usage';
  render(
    <I18nextProvider i18n={createI18n(options.language ?? 'en')}>
      <App fetch={api.fetch} />
    </I18nextProvider>,
  );
  return api;
}

describe('usage page', () => {
  it('shows the totals, a credits chart per key and a table, asking the ledger per key by hour', async () => {
    const api = renderUsage();
    const rows = await screen.findAllByTestId('usage-row');
    expect(rows.map((row) => row.textContent)).toEqual(['alice314.530060', 'ci100.25105']);
    expect(screen.getByTestId('usage-credits').textContent).toContain('4.75');
    expect(screen.getByTestId('usage-requests').textContent).toContain('1 failed');
    const chart = screen.getByTestId('chart-usage-credits');
    expect(chart.getAttribute('data-points')).toBe('3');
    expect(within(chart).getByText('alice')).toBeTruthy();
    const asked = api.calls.find((call) => call.path.startsWith('/admin/usage'));
    expect(asked?.path).toMatch(/by=key&bucket=hour$/);

    await userEvent.click(screen.getByRole('button', { name: 'Model' }));
    await waitFor(() => expect(api.calls.some((call) => call.path.includes('by=model'))).toBe(true));
    await userEvent.click(screen.getByRole('button', { name: '7 days' }));
    await waitFor(() => expect(api.calls.some((call) => /by=model&bucket=day$/.test(call.path))).toBe(true));
  });

  it('says when there is no ledger, and when the range holds no request', async () => {
    renderUsage({ usage: summary({ ledger: false, totals: [], points: [] }) });
    await screen.findByText(/keeps no usage ledger/);
    cleanup();
    renderUsage({ usage: summary({ totals: [], points: [] }) });
    await screen.findByText('No requests in this range');
  });

  it('creates a key and shows it once, lists budgets, and revokes after confirming', async () => {
    const api = renderUsage();
    const row = await screen.findByTestId('key-row-key_1');
    expect(row.textContent).toContain('4.5 of 10 credits per day');
    await userEvent.type(screen.getByLabelText('Label'), 'bob');
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const created = await screen.findByTestId('created-key');
    expect(created.textContent).toContain('kd-the-new-secret-key');
    expect(api.calls.find((call) => call.method === 'POST' && call.path === '/admin/keys')?.body).toEqual({
      label: 'bob',
    });
    await screen.findByTestId('key-row-key_2');

    await userEvent.click(screen.getByRole('button', { name: 'Revoke alice' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(screen.getByTestId('key-row-key_1').textContent).toContain('Revoked'));
  });

  it('speaks Chinese', async () => {
    renderUsage({ language: 'zh' });
    await screen.findByRole('heading', { name: '用量' });
    expect((await screen.findByTestId('key-row-key_1')).textContent).toContain('每天 10 额度中已用 4.5');
  });
});

describe('usageChartData', () => {
  it('fills every bucket and sums names past the fourth line into Others', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const data = usageChartData(
      summary({
        totals: names.map((name, i) => ({
          name,
          requests: 1,
          errors: 0,
          credits: 5 - i,
          inputTokens: 0,
          outputTokens: 0,
        })),
        points: names.map((name, i) => ({
          at: SINCE + HOUR,
          name,
          requests: 1,
          errors: 0,
          credits: 5 - i,
          inputTokens: 0,
          outputTokens: 0,
        })),
      }),
    );
    expect(data.x).toEqual([SINCE / 1000, (SINCE + HOUR) / 1000, (SINCE + 2 * HOUR) / 1000]);
    expect(data.lines.map((line) => [line.name, line.values])).toEqual([
      ['a', [0, 5, 0]],
      ['b', [0, 4, 0]],
      ['c', [0, 3, 0]],
      ['', [0, 3, 0]],
    ]);
    expect(data.lines[3]?.others).toBe(true);
  });
});
