// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountView, RefreshFailedBody } from '../../../shared/adminApi.ts';
import { account } from '../testing/fakeAdminApi.ts';
import { accountRow as row, callsTo, quotaView } from '../testing/fixtures.ts';
import { renderDashboard } from '../testing/renderDashboard.tsx';

afterEach(cleanup);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function pool(): AccountView[] {
  const now = Date.now();
  return [
    account({
      id: 'ide',
      label: 'work',
      email: 'me@example.com',
      source: 'kiro-ide',
      provider: 'Google',
      tokenExpiresAt: now + 2 * HOUR + 60_000,
      inFlight: 2,
      quota: quotaView({ fetchedAt: now }),
    }),
    account({
      id: 'cli',
      label: 'side',
      source: 'kiro-cli',
      authMethod: 'idc',
      state: { kind: 'needs_relogin', reason: 'Refresh token revoked', howToFix: 'Run kiro-cli login again' },
      lastError: { message: 'invalid_grant', at: now - 5 * 60_000 },
    }),
    account({
      id: 'key',
      label: 'ci',
      authMethod: 'api_key',
      hasRefreshToken: false,
      hasApiKey: true,
      apiKeyPreview: 'ksk_…wxyz',
      state: { kind: 'exhausted', until: now + 3 * DAY + 60_000, reason: 'Monthly credits used up' },
    }),
  ];
}

async function openAccounts(accounts: AccountView[] = pool()) {
  const rendered = renderDashboard({ page: 'accounts', state: { accounts } });
  if (accounts.length > 0) await screen.findByTestId(`account-row-${accounts[0]!.id}`);
  return rendered;
}

describe('accounts page: the table', () => {
  it('shows each account with source, sign-in, state and what to do, expiry, quota, in-flight and last error', async () => {
    await openAccounts();
    const work = row('ide');
    expect(work.getByRole('rowheader').textContent).toContain('me@example.com');
    expect(work.getByText('Kiro IDE')).toBeTruthy();
    expect(work.getByText('Social')).toBeTruthy();
    expect(work.getByTestId('account-state').dataset['state']).toBe('active');
    expect(work.getByTestId('token-expires').textContent).toBe('in 2 hours');
    const quota = work.getByRole('progressbar', { name: 'Quota used by work' });
    expect(quota.getAttribute('aria-valuenow')).toBe('120');
    expect(quota.getAttribute('aria-valuemax')).toBe('500');
    expect(work.getByText('120 of 500 used')).toBeTruthy();
    expect(work.getByRole('cell', { name: '2' })).toBeTruthy();

    const side = row('cli');
    const relogin = side.getByTestId('account-state');
    expect(relogin.dataset['state']).toBe('needs_relogin');
    expect(relogin.textContent).toContain('Needs re-login');
    expect(relogin.textContent).toContain('Refresh token revoked');
    expect(relogin.textContent).toContain('Run kiro-cli login again');
    expect(side.getByText('invalid_grant')).toBeTruthy();
    expect(side.getByText('5 minutes ago')).toBeTruthy();
    expect(side.getByText('not checked yet')).toBeTruthy();

    const ci = row('key');
    const exhausted = ci.getByTestId('account-state');
    expect(exhausted.dataset['state']).toBe('exhausted');
    expect(exhausted.textContent).toContain('in 3 days');
    expect(exhausted.textContent).toContain('Monthly credits used up');
    expect(ci.getByText('never (API key)')).toBeTruthy();
    expect(ci.getByText('ksk_…wxyz')).toBeTruthy();
  });

  it('tells the user what to do when the pool is empty', async () => {
    renderDashboard({ page: 'accounts' });
    expect(
      await screen.findByText(
        'No Kiro account found: sign in to Kiro IDE (then Import) or add a refresh token.',
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('follows live account events without reloading', async () => {
    const { api } = await openAccounts();
    await waitFor(() => expect(api.openStreams()).toBe(1));
    const listed = callsTo(api, 'GET', '/admin/accounts').length;
    api.emit({
      type: 'account',
      account: account({
        id: 'ide',
        label: 'work',
        state: { kind: 'cooling_down', until: Date.now() + 90_000, reason: 'Throttled by Kiro' },
      }),
    });
    await waitFor(() =>
      expect(row('ide').getByTestId('account-state').dataset['state']).toBe('cooling_down'),
    );
    const shown = row('ide').getByTestId('account-state').textContent;
    expect(shown).toContain('Throttled by Kiro');
    // A cooldown of a minute and a half is a duration, not a date.
    expect(shown).toMatch(/ends in (90 seconds|2 minutes)/);
    expect(shown).not.toMatch(/20\d\d/);
    api.emit({ type: 'account_removed', id: 'key' });
    await waitFor(() => expect(screen.queryByTestId('account-row-key')).toBeNull());
    expect(callsTo(api, 'GET', '/admin/accounts')).toHaveLength(listed);
  });
});

describe('accounts page: row actions', () => {
  it('disables and enables an account with PATCH', async () => {
    const { api } = await openAccounts();
    await userEvent.click(row('ide').getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(row('ide').getByTestId('account-state').dataset['state']).toBe('disabled'));
    await userEvent.click(row('ide').getByRole('button', { name: 'Enable' }));
    await waitFor(() => expect(row('ide').getByTestId('account-state').dataset['state']).toBe('active'));
    expect(callsTo(api, 'PATCH', '/admin/accounts/ide').map((call) => call.body)).toEqual([
      { disabled: true },
      { disabled: false },
    ]);
  });

  it('shows why a refresh failed and the account in its new state', async () => {
    const { api } = await openAccounts();
    api.override('POST', '/admin/accounts/ide/refresh', () => {
      const body: RefreshFailedBody = {
        error: { message: 'Kiro refused the refresh token (invalid_grant).' },
        account: account({
          id: 'ide',
          label: 'work',
          state: { kind: 'needs_relogin', reason: 'Login expired', howToFix: 'Sign in to Kiro IDE again' },
        }),
      };
      return { status: 502, body };
    });
    await userEvent.click(row('ide').getByRole('button', { name: 'Refresh now' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'Refreshing “work” failed: Kiro refused the refresh token (invalid_grant).',
    );
    const state = row('ide').getByTestId('account-state');
    expect(state.dataset['state']).toBe('needs_relogin');
    expect(state.textContent).toContain('Sign in to Kiro IDE again');
    expect(callsTo(api, 'POST', '/admin/accounts/ide/refresh')).toHaveLength(1);
  });

  it('asks before removing; Escape keeps the account, confirming removes it', async () => {
    const { api } = await openAccounts();
    await userEvent.click(row('cli').getByRole('button', { name: 'Remove' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove “side”?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBe(document.activeElement);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(callsTo(api, 'DELETE', '/admin/accounts/cli')).toHaveLength(0);

    await userEvent.click(row('cli').getByRole('button', { name: 'Remove' }));
    await userEvent.click(screen.getByRole('button', { name: 'Remove account' }));
    await waitFor(() => expect(screen.queryByTestId('account-row-cli')).toBeNull());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(callsTo(api, 'DELETE', '/admin/accounts/cli')).toHaveLength(1);
  });

  it('keeps the row and says why when the proxy refuses to remove it', async () => {
    const { api } = await openAccounts();
    api.override('DELETE', '/admin/accounts/ide', () => ({
      status: 409,
      body: { error: { message: 'This is the Kiro IDE’s current login: disable it instead.' } },
    }));
    await userEvent.click(row('ide').getByRole('button', { name: 'Remove' }));
    await userEvent.click(screen.getByRole('button', { name: 'Remove account' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      '“work”: This is the Kiro IDE’s current login: disable it instead.',
    );
    expect(screen.getByTestId('account-row-ide')).toBeTruthy();
  });
});

describe('accounts page: import and strategy', () => {
  it('imports from the Kiro IDE and reports imported, already present and problems', async () => {
    const { api } = await openAccounts();
    api.override('POST', '/admin/accounts/import', (call) => {
      api.state.accounts.push(account({ id: 'fresh', label: 'fresh login', source: 'kiro-ide' }));
      expect(call.body).toEqual({ from: 'ide' });
      return {
        status: 200,
        body: {
          imported: ['fresh'],
          alreadyPresent: ['ide'],
          problems: ['No kiro-auth-token.json in /home/me/.aws/sso/cache/old.'],
        },
      };
    });
    await userEvent.click(screen.getByRole('button', { name: 'Import from Kiro IDE' }));
    const result = await screen.findByTestId('import-result');
    expect(result.textContent).toContain('Kiro IDE: 1 imported, 1 already present.');
    expect(within(result).getByText('No kiro-auth-token.json in /home/me/.aws/sso/cache/old.')).toBeTruthy();
    expect(await screen.findByTestId('account-row-fresh')).toBeTruthy();
  });

  it('says why an import from kiro-cli failed', async () => {
    const { api } = await openAccounts();
    api.override('POST', '/admin/accounts/import', () => ({
      status: 500,
      body: { error: { message: 'kiro-cli store is locked.' } },
    }));
    await userEvent.click(screen.getByRole('button', { name: 'Import from kiro-cli' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Import from kiro-cli failed: kiro-cli store is locked.',
    );
    expect(callsTo(api, 'POST', '/admin/accounts/import')[0]?.body).toEqual({ from: 'kiro-cli' });
  });

  it('changes the pool strategy with PUT, explaining each choice', async () => {
    const { api } = await openAccounts();
    const sequential = screen.getByRole('radio', { name: 'Sequential' }) as HTMLInputElement;
    await waitFor(() => expect(sequential.checked).toBe(true));
    expect(screen.getByText('Picks the healthy account with the most credits left.')).toBeTruthy();
    const mostQuota = screen.getByRole('radio', { name: 'Most quota left' }) as HTMLInputElement;
    expect(mostQuota.getAttribute('aria-describedby')).toBe('strategy-most-quota-description');
    await userEvent.click(mostQuota);
    await waitFor(() => expect(mostQuota.checked).toBe(true));
    expect(callsTo(api, 'PUT', '/admin/pool/strategy').map((call) => call.body)).toEqual([
      { strategy: 'most-quota' },
    ]);
    api.emit({ type: 'strategy', strategy: 'round-robin' });
    await waitFor(() =>
      expect((screen.getByRole('radio', { name: 'Round robin' }) as HTMLInputElement).checked).toBe(true),
    );
  });
});

describe('accounts page in Chinese', () => {
  it('shows the empty state, the strategies and the add button in Chinese', async () => {
    renderDashboard({ page: 'accounts', language: 'zh' });
    expect(
      await screen.findByText('没有找到 Kiro 账号：请登录 Kiro IDE（然后导入），或添加一个刷新令牌。'),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: '添加账号' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '从 Kiro IDE 导入' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: '轮询' })).toBeTruthy();
  });
});
