// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../../shared/adminApi.ts';
import { defaultSettings } from '../testing/fakeAdminApi.ts';
import { renderDashboard } from '../testing/renderDashboard.tsx';

afterEach(cleanup);

function entry(overrides: Partial<RequestLogEntry> & { id: string }): RequestLogEntry {
  return {
    at: Date.UTC(2026, 10, 28, 9, 30),
    route: '/v1/messages',
    model: 'claude-sonnet-4-5',
    accountId: 'acc-1',
    accountLabel: 'work',
    status: 200,
    stream: true,
    ttftMs: 420,
    durationMs: 2_300,
    inputTokens: 1_200,
    outputTokens: 350,
    responseCache: 'miss',
    ...overrides,
  };
}

const LOG: RequestLogEntry[] = [
  entry({ id: 'req-a', cacheReadInputTokens: 800, cacheCreationInputTokens: 64, credits: 0.0163 }),
  entry({ id: 'req-b', model: 'claude-haiku-4-5', accountLabel: 'personal', responseCache: 'hit' }),
  entry({
    id: 'req-c',
    route: '/v1/chat/completions',
    status: 502,
    error: 'Kiro answered 500 twice.',
    responseCache: undefined,
  }),
];

async function rows(expected: number) {
  await waitFor(() => expect(screen.queryAllByTestId('request-row')).toHaveLength(expected));
  return screen.queryAllByTestId('request-row').map((row) => row.getAttribute('data-request-id'));
}

describe('requests page', () => {
  it('shows each request with its status, timings, tokens and cache outcome', async () => {
    renderDashboard({ page: 'requests', state: { requests: LOG } });
    await rows(3);
    const first = screen.getAllByTestId('request-row')[0]!;
    expect(first.textContent).toContain('claude-sonnet-4-5');
    expect(first.textContent).toContain('work');
    expect(first.textContent).toContain('420 ms');
    expect(first.textContent).toContain('2.3 s');
    expect(first.textContent).toContain('1,200 → 350');
    expect(first.textContent).toContain('cache read 800');
    expect(first.textContent).toContain('cache written 64');
    expect(within(first).getByTestId('request-credits').textContent).toBe('0.0163');
    // No meteringEvent (a cache hit, a failure): no credits rather than a made-up 0.
    expect(within(screen.getAllByTestId('request-row')[1]!).getByTestId('request-credits').textContent).toBe(
      '—',
    );
    const failed = screen.getAllByTestId('request-row')[2]!;
    expect(within(failed).getByTestId('request-status').className).toContain('badge-danger');
    expect(failed.textContent).toContain('Kiro answered 500 twice.');
    expect(failed.textContent).toContain('not used');
  });

  it('filters by text, status, model and cache outcome, and clears the filters', async () => {
    const user = userEvent.setup();
    renderDashboard({ page: 'requests', state: { requests: LOG } });
    await rows(3);
    await user.type(screen.getByLabelText('Search'), 'personal');
    expect(await rows(1)).toEqual(['req-b']);
    await user.clear(screen.getByLabelText('Search'));
    await user.type(screen.getByLabelText('Search'), 'chat/completions');
    expect(await rows(1)).toEqual(['req-c']);
    await user.clear(screen.getByLabelText('Search'));

    await user.selectOptions(screen.getByLabelText('Status'), 'errors');
    expect(await rows(1)).toEqual(['req-c']);
    await user.selectOptions(screen.getByLabelText('Status'), 'ok');
    expect(await rows(2)).toEqual(['req-a', 'req-b']);

    await user.selectOptions(screen.getByLabelText('Model'), 'claude-haiku-4-5');
    expect(await rows(1)).toEqual(['req-b']);
    expect(screen.getByTestId('requests-count').textContent).toBe('1 of 3 requests');

    await user.selectOptions(screen.getByLabelText('Response cache'), 'miss');
    await rows(0);
    expect(screen.getByText('No request matches these filters')).toBeTruthy();
    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]!);
    expect(await rows(3)).toEqual(['req-a', 'req-b', 'req-c']);

    await user.selectOptions(screen.getByLabelText('Response cache'), 'none');
    expect(await rows(1)).toEqual(['req-c']);
  });

  it('adds live requests at the top, and holds the table while paused', async () => {
    const user = userEvent.setup();
    const { api } = renderDashboard({ page: 'requests', state: { requests: [LOG[0]!] } });
    await rows(1);
    await waitFor(() => expect(api.openStreams()).toBe(1));
    // The proxy keeps what it announces, so a reload after a reconnect finds it too.
    const announce = (request: RequestLogEntry) => {
      api.state.requests = [request, ...api.state.requests];
      api.emit({ type: 'requests', requests: [request] });
    };
    announce(entry({ id: 'req-live' }));
    expect(await rows(2)).toEqual(['req-live', 'req-a']);

    await user.click(screen.getByRole('button', { name: 'Pause live updates' }));
    announce(entry({ id: 'req-while-paused' }));
    expect(await screen.findByText('Paused: 1 new not shown')).toBeTruthy();
    expect(await rows(2)).toEqual(['req-live', 'req-a']);

    await user.click(screen.getByRole('button', { name: 'Resume live updates' }));
    expect(await rows(3)).toEqual(['req-while-paused', 'req-live', 'req-a']);
  });

  it('says prompts are not recorded, and points to Settings', async () => {
    renderDashboard({ page: 'requests', state: { requests: LOG } });
    await rows(3);
    const notice = screen.getByTestId('capture-notice');
    expect(notice.textContent).toContain('Prompts are not recorded.');
    expect(within(notice).getByRole('link', { name: 'Turn on in Settings' }).getAttribute('href')).toBe(
      '#/settings',
    );
  });

  it('opens a recorded prompt in the details of its row when capture is on', async () => {
    const user = userEvent.setup();
    renderDashboard({
      page: 'requests',
      state: {
        settings: { ...defaultSettings(), capturePrompts: true },
        requests: [
          entry({ id: 'req-p', prompt: 'Explain the event-stream framing.' }),
          entry({ id: 'req-q' }),
        ],
      },
    });
    await rows(2);
    expect(screen.queryByText('Explain the event-stream framing.')).toBeNull();
    const [first, second] = screen.getAllByTestId('request-row') as [HTMLElement, HTMLElement];
    const show = within(first).getByRole('button', { name: 'Details' });
    await user.click(show);
    expect(show.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByTestId('request-prompt').textContent).toBe('Explain the event-stream framing.');
    await user.click(within(second).getByRole('button', { name: 'Details' }));
    expect(screen.getAllByTestId('request-details')[1]!.textContent).toContain('not recorded');
    await user.click(within(first).getByRole('button', { name: 'Hide details' }));
    expect(screen.queryByTestId('request-prompt')).toBeNull();
  });

  it('shows a request rescued by a retry as such, with its failed calls, Kiro model, credits and id', async () => {
    const user = userEvent.setup();
    renderDashboard({
      page: 'requests',
      state: {
        requests: [
          entry({
            id: 'req-retried',
            kiroModel: 'claude-sonnet-4.5',
            attempts: 2,
            failedAttempts: [
              { accountId: 'acc-2', accountLabel: 'personal', kind: 'server_error', status: 500 },
            ],
            credits: 0.42,
          }),
          entry({ id: 'req-cached', attempts: 0, responseCache: 'hit' }),
        ],
      },
    });
    await rows(2);
    const [retried, cached] = screen.getAllByTestId('request-row') as [HTMLElement, HTMLElement];
    expect(within(retried).getByTestId('request-status').textContent).toBe('200');
    expect(within(retried).getByTestId('request-retries').textContent).toBe('after 1 retry');
    expect(within(cached).queryByTestId('request-retries')).toBeNull();

    await user.click(within(retried).getByRole('button', { name: 'Details' }));
    const details = screen.getByTestId('request-details');
    expect(within(details).getByTestId('request-id').textContent).toBe('req-retried');
    expect(within(details).getByRole('button', { name: 'Copy id' })).toBeTruthy();
    expect(within(details).getByTestId('request-kiro-model').textContent).toBe('claude-sonnet-4.5');
    expect(within(details).getByTestId('request-attempts').textContent).toContain('2 calls');
    expect(within(details).getByTestId('request-failed-attempts').textContent).toBe(
      'Call 1 on personal failed: Kiro server error; retried (HTTP 500)',
    );
    expect(within(details).getByTestId('request-credits').textContent).toBe('0.4');

    await user.click(within(cached).getByRole('button', { name: 'Details' }));
    const cachedDetails = screen.getAllByTestId('request-details')[1]!;
    expect(within(cachedDetails).getByTestId('request-attempts').textContent).toBe(
      'none (answered without calling Kiro)',
    );
    expect(within(cachedDetails).queryByTestId('request-credits')).toBeNull();
  });

  it('says how many requests were refused for an unknown client key, and nothing while there are none', async () => {
    const { unmount } = renderDashboard({ page: 'requests', state: { requests: LOG } });
    await rows(3);
    expect(screen.queryByTestId('unknown-key-notice')).toBeNull();
    unmount();
    renderDashboard({
      page: 'requests',
      state: {
        requests: [
          ...LOG,
          entry({ id: 'req-x', status: 401, error: 'Unknown client key.', accountId: undefined }),
          entry({ id: 'req-y', status: 401, error: 'Unknown client key.', accountId: undefined }),
        ],
      },
    });
    await rows(5);
    const notice = screen.getByTestId('unknown-key-notice');
    expect(notice.textContent).toContain('2 requests were refused for a missing or unknown client key');
    expect(within(notice).getByRole('link').getAttribute('href')).toBe('#/settings');
  });

  it('tells the user how to send a first request when the log is empty', async () => {
    renderDashboard({ page: 'requests' });
    expect(await screen.findByText('No requests yet')).toBeTruthy();
    const empty = screen.getByText('No requests yet').closest('.empty-state')!;
    expect(empty.textContent).toContain('http://127.0.0.1:8765');
  });

  it('speaks Chinese', async () => {
    renderDashboard({ page: 'requests', language: 'zh', state: { requests: LOG } });
    await rows(3);
    expect(screen.getByRole('heading', { name: '请求' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '暂停实时更新' })).toBeTruthy();
    expect(screen.getByTestId('capture-notice').textContent).toContain('未记录提示词。');
  });
});
