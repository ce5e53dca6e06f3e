// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { account } from '../testing/fakeAdminApi.ts';
import { quotaView as quota } from '../testing/fixtures.ts';
import { renderDashboard } from '../testing/renderDashboard.tsx';
import { quotaOutlook } from './QuotasPage.tsx';

const DAY = 86_400_000;
/** The page counts days from now: a fixed now (noon UTC, the same date in nearly every time zone). */
const NOW = Date.UTC(2027, 0, 3, 12);
/** A date as the page writes it, at whatever hour the machine's time zone gives. */
const shown = (date: string) => `${date}, \\d{1,2}:\\d{2}\\s[AP]M`;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const cardOf = async (id: string) => screen.findByTestId(`quota-card-${id}`);

describe('quotas page', () => {
  it('shows each account’s used-of-limit bar, grants, reset date and when it runs out', async () => {
    const resetsAt = NOW + 20 * DAY;
    const runsOutAt = NOW + 6 * DAY;
    const trialEnds = NOW + 10 * DAY;
    renderDashboard({
      page: 'quotas',
      state: {
        accounts: [
          account({
            id: 'work',
            label: 'Work',
            email: 'me@example.com',
            quota: quota({
              resetsAt,
              forecastExhaustedAt: runsOutAt,
              subscriptionTitle: 'KIRO PRO',
              freeTrial: { limit: 500, used: 100, expiresAt: trialEnds, active: true },
              bonuses: [{ limit: 50, used: 20, active: false }],
            }),
          }),
        ],
      },
    });
    const card = await cardOf('work');
    const bar = within(card).getByRole('progressbar', { name: 'Credits used: Work' });
    expect(bar.getAttribute('aria-valuenow')).toBe('120');
    expect(bar.getAttribute('aria-valuemax')).toBe('500');
    expect(bar.getAttribute('aria-valuetext')).toBe('120 of 500 credits used (24%)');
    expect(card.textContent).toContain('me@example.com');
    expect(card.textContent).toContain('KIRO PRO');
    expect(card.textContent).toContain('380 left');
    expect(card.textContent).toMatch(new RegExp(`Free trial 100 of 500 · expires ${shown('Jan 13, 2027')}`));
    expect(card.textContent).toContain('Bonus 20 of 50 · not active');
    expect(card.textContent).toMatch(new RegExp(`Resets ${shown('Jan 23, 2027')} \\(in 20 days\\)`));
    expect(within(card).getByTestId('quota-forecast').textContent).toMatch(
      new RegExp(`^Runs out around ${shown('Jan 9, 2027')} at the current rate$`),
    );
  });

  it('words the forecast after what the core predicted', async () => {
    const resetsAt = NOW + 3 * DAY;
    renderDashboard({
      page: 'quotas',
      state: {
        accounts: [
          account({ id: 'steady', quota: quota({ resetsAt }) }),
          account({ id: 'dry', quota: quota({ used: 500, remaining: 0, resetsAt, forecastExhaustedAt: 1 }) }),
          account({ id: 'open', quota: quota() }),
        ],
      },
    });
    const forecast = async (id: string) => within(await cardOf(id)).getByTestId('quota-forecast').textContent;
    expect(await forecast('steady')).toBe('Lasts until the reset at the current rate');
    expect(await forecast('dry')).toMatch(
      new RegExp(`^Out of credits until the reset on ${shown('Jan 6, 2027')}$`),
    );
    expect(await forecast('open')).toBe('Not running out at the current rate');
  });

  it('says why an account has no numbers', async () => {
    renderDashboard({
      page: 'quotas',
      state: {
        accounts: [
          account({ id: 'fresh' }),
          account({ id: 'key', authMethod: 'api_key', hasApiKey: true, hasRefreshToken: false }),
          account({
            id: 'lost',
            state: {
              kind: 'needs_relogin',
              reason: 'Refresh token revoked',
              howToFix: 'Sign in to Kiro IDE again',
            },
          }),
          account({ id: 'off', disabled: true, state: { kind: 'disabled' } }),
        ],
      },
    });
    const reason = async (id: string) => within(await cardOf(id)).getByTestId('quota-missing').textContent;
    expect(await reason('fresh')).toContain('Not read yet');
    expect(await reason('key')).toContain('API key');
    expect(await reason('lost')).toContain('until the account works again: Refresh token revoked');
    expect(await reason('off')).toContain('Disabled');
    expect(screen.queryAllByRole('progressbar')).toHaveLength(0);
    expect(screen.getByTestId('quota-total').textContent).toContain(
      'No account has reported its credits yet.',
    );
  });

  it('adds up the accounts that report credits', async () => {
    renderDashboard({
      page: 'quotas',
      state: {
        accounts: [
          account({ id: 'a', quota: quota({ used: 100, limit: 500, remaining: 400 }) }),
          account({ id: 'b', quota: quota({ used: 1_000, limit: 1_000, remaining: 0 }) }),
          account({ id: 'c' }),
        ],
      },
    });
    const total = await screen.findByTestId('quota-total');
    expect(total.textContent).toContain('1,100 of 1,500 credits used');
    expect(total.textContent).toContain('400 left');
    expect(total.textContent).toContain('2 of 3 accounts report their credits');
    const bar = within(total).getByRole('progressbar', { name: 'All accounts' });
    expect(bar.getAttribute('aria-valuenow')).toBe('1100');
    expect(bar.getAttribute('aria-valuemax')).toBe('1500');
  });

  it('follows live account updates', async () => {
    const { api } = renderDashboard({
      page: 'quotas',
      state: { accounts: [account({ id: 'a', quota: quota() })] },
    });
    await cardOf('a');
    await waitFor(() => expect(api.openStreams()).toBe(1));
    api.emit({ type: 'account', account: account({ id: 'a', quota: quota({ used: 450, remaining: 50 }) }) });
    await waitFor(() =>
      expect(screen.getByRole('progressbar', { name: 'Credits used: a' }).getAttribute('aria-valuenow')).toBe(
        '450',
      ),
    );
  });

  it('tells the user how to get an account when there is none', async () => {
    renderDashboard({ page: 'quotas', state: { accounts: [] } });
    const empty = await screen.findByRole('status', { name: /No Kiro account found/ });
    expect(empty.textContent).toContain('Sign in to Kiro IDE or add a refresh token');
    expect(within(empty).getByRole('link', { name: 'Go to Accounts' }).getAttribute('href')).toBe(
      '#/accounts',
    );
  });

  it('speaks Chinese', async () => {
    const resetsAt = NOW + 3 * DAY;
    renderDashboard({
      page: 'quotas',

      language: 'zh',
      state: { accounts: [account({ id: 'a', quota: quota({ resetsAt }) })] },
    });
    expect(await screen.findByRole('heading', { name: '额度' })).toBeTruthy();
    const card = await cardOf('a');
    expect(card.textContent).toContain('已用 120 / 500 点额度');
    expect(within(card).getByTestId('quota-forecast').textContent).toBe('按当前速度，可以用到重置');
    expect(card.textContent).toMatch(/2027年1月6日 \d{1,2}:\d{2} 重置/);
  });
});

describe('quotaOutlook', () => {
  it('puts an empty account before any forecast, and a forecast before the reset', () => {
    expect(quotaOutlook(quota({ remaining: 0, forecastExhaustedAt: 5 }))).toEqual({
      kind: 'exhausted',
      resetsAt: undefined,
    });
    expect(quotaOutlook(quota({ forecastExhaustedAt: 5, resetsAt: 9 }))).toEqual({ kind: 'runs_out', at: 5 });
    expect(quotaOutlook(quota({ resetsAt: 9 }))).toEqual({ kind: 'lasts_until_reset' });
    expect(quotaOutlook(quota())).toEqual({ kind: 'no_rate' });
  });
});
