// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { account } from './testing/fakeAdminApi.ts';
import { renderDashboard } from './testing/renderDashboard.tsx';

afterEach(cleanup);

describe('dashboard shell', () => {
  it('signs in with the one-time code from the URL and keeps the session token', async () => {
    const { api } = renderDashboard({
      signedIn: false,
      loginCode: 'code-1',
      state: { loginCodes: new Set(['code-1']) },
    });
    await screen.findByRole('navigation');
    expect(localStorage.getItem('kiro-dock.session')).toBe('session-for-code-1');
    expect(api.calls.find((call) => call.path === '/admin/session')?.body).toEqual({ code: 'code-1' });
    // Every admin call after sign-in carries the session token, never the code.
    await waitFor(() => expect(api.calls.some((call) => call.path === '/admin/accounts')).toBe(true));
    for (const call of api.calls.filter((c) => c.path.startsWith('/admin/') && c.path !== '/admin/session')) {
      expect(call.authorization).toBe('Bearer session-for-code-1');
    }
  });

  it('shows the sign-in form when the code was used already, and signs in with a pasted token', async () => {
    const { api } = renderDashboard({
      signedIn: false,
      loginCode: 'used',
      state: { loginCodes: new Set(['fresh']) },
    });
    const input = await screen.findByLabelText('Admin token or login code');
    await userEvent.type(input, 'fresh');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('navigation');
    expect(api.calls.filter((call) => call.path === '/admin/session').map((call) => call.body)).toEqual([
      { code: 'used' },
      { code: 'fresh' },
    ]);
  });

  it('returns to sign-in, saying why, when the session ends (proxy restarted)', async () => {
    const { api } = renderDashboard();
    await screen.findByRole('navigation');
    await waitFor(() => expect(api.openStreams()).toBe(1));
    api.state.validTokens.clear();
    api.closeStreams();
    expect(
      await screen.findByText(
        'Your session ended (the proxy restarted). Sign in again.',
        {},
        { timeout: 3_000 },
      ),
    ).toBeTruthy();
    expect(localStorage.getItem('kiro-dock.session')).toBeNull();
  });

  it('shows the proxy status, the endpoint and the ready accounts in the header', async () => {
    renderDashboard({
      state: {
        accounts: [
          account({ id: 'a' }),
          account({
            id: 'b',
            state: { kind: 'needs_relogin', reason: 'Refresh token revoked', howToFix: 'Sign in again' },
          }),
        ],
      },
    });
    const status = await screen.findByTestId('proxy-status');
    await waitFor(() => expect(status.textContent).toContain('1 of 2 accounts ready'));
    expect(status.textContent).toContain('http://127.0.0.1:8765');
    expect(status.textContent).toContain('Running');
  });

  it('switches language and remembers the choice', async () => {
    renderDashboard();
    await screen.findByRole('navigation');
    await userEvent.selectOptions(screen.getByLabelText('Language'), 'zh');
    expect(await screen.findByRole('link', { name: '账号' })).toBeTruthy();
    expect(localStorage.getItem('kiro-dock.language')).toBe('zh');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('follows live account events without reloading', async () => {
    const { api } = renderDashboard({ state: { accounts: [account({ id: 'a' })] } });
    const status = await screen.findByTestId('proxy-status');
    await waitFor(() => expect(api.openStreams()).toBe(1));
    await waitFor(() => expect(status.textContent).toContain('1 of 1 accounts ready'));
    api.emit({ type: 'account', account: account({ id: 'b' }) });
    await waitFor(() => expect(status.textContent).toContain('2 of 2 accounts ready'));
  });
});
