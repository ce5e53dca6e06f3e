// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { account } from '../../testing/fakeAdminApi.ts';
import { accountRow as row, callsTo } from '../../testing/fixtures.ts';
import { renderDashboard } from '../../testing/renderDashboard.tsx';

afterEach(cleanup);

async function openAccounts() {
  const rendered = renderDashboard({
    page: 'accounts',
    state: { accounts: [account({ id: 'a' }), account({ id: 'b' }), account({ id: 'c' })] },
  });
  await screen.findByTestId('account-row-a');
  return rendered;
}

describe('accounts page: adding an account', () => {
  async function openAddDialog() {
    await userEvent.click(screen.getByRole('button', { name: 'Add account' }));
    return within(screen.getByRole('dialog', { name: 'Add a Kiro account' }));
  }

  it('says what is missing before sending anything, and types secrets in password fields', async () => {
    const { api } = await openAccounts();
    const dialog = await openAddDialog();
    await userEvent.click(dialog.getByRole('button', { name: 'Save account' }));
    expect(dialog.getByText('Paste the refresh token.')).toBeTruthy();
    expect(dialog.getByLabelText('Refresh token').getAttribute('type')).toBe('password');
    expect(dialog.getByLabelText('Refresh token').getAttribute('aria-invalid')).toBe('true');

    await userEvent.click(dialog.getByRole('radio', { name: /^IdC/ }));
    await userEvent.clear(dialog.getByLabelText('Region'));
    await userEvent.click(dialog.getByRole('button', { name: 'Save account' }));
    expect(dialog.getByText('Enter the client id.')).toBeTruthy();
    expect(dialog.getByText('Enter the client secret.')).toBeTruthy();
    expect(dialog.getByText('Enter the region, for example us-east-1.')).toBeTruthy();
    expect(dialog.getByLabelText('Client secret').getAttribute('type')).toBe('password');

    await userEvent.click(dialog.getByRole('radio', { name: 'Kiro API key' }));
    await userEvent.type(dialog.getByLabelText('API key'), 'sk-not-kiro');
    await userEvent.click(dialog.getByRole('button', { name: 'Save account' }));
    expect(dialog.getByText('A Kiro API key starts with ksk_.')).toBeTruthy();
    expect(dialog.getByLabelText('API key').getAttribute('type')).toBe('password');
    expect(callsTo(api, 'POST', '/admin/accounts')).toHaveLength(0);
  });

  it('sends an IdC login, closes and shows the new row', async () => {
    const { api } = await openAccounts();
    const dialog = await openAddDialog();
    await userEvent.click(dialog.getByRole('radio', { name: /^IdC/ }));
    await userEvent.type(dialog.getByLabelText('Label (optional)'), 'builder');
    await userEvent.type(dialog.getByLabelText('Refresh token'), ' aor-token ');
    await userEvent.type(dialog.getByLabelText('Client id'), 'client-1');
    await userEvent.type(dialog.getByLabelText('Client secret'), 'secret-1');
    await userEvent.clear(dialog.getByLabelText('Region'));
    await userEvent.type(dialog.getByLabelText('Region'), 'eu-central-1');
    await userEvent.click(dialog.getByRole('button', { name: 'Save account' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(callsTo(api, 'POST', '/admin/accounts').map((call) => call.body)).toEqual([
      {
        kind: 'idc',
        refreshToken: 'aor-token',
        clientId: 'client-1',
        clientSecret: 'secret-1',
        region: 'eu-central-1',
        label: 'builder',
      },
    ]);
    expect(row('added-4').getByRole('rowheader').textContent).toContain('builder');
    expect(row('added-4').getByText('IdC')).toBeTruthy();
  });

  it('shows the proxy’s reason when it refuses, keeping the dialog open; Escape closes it', async () => {
    const { api } = await openAccounts();
    api.override('POST', '/admin/accounts', () => ({
      status: 400,
      body: { error: { message: 'Kiro did not accept this API key.' } },
    }));
    const dialog = await openAddDialog();
    await userEvent.click(dialog.getByRole('radio', { name: 'Kiro API key' }));
    await userEvent.type(dialog.getByLabelText('API key'), 'ksk_abcdef');
    await userEvent.click(dialog.getByRole('button', { name: 'Save account' }));
    expect((await dialog.findByRole('alert')).textContent).toBe(
      'Kiro Dock did not add the account: Kiro did not accept this API key.',
    );
    expect(callsTo(api, 'POST', '/admin/accounts')[0]?.body).toEqual({
      kind: 'api_key',
      apiKey: 'ksk_abcdef',
    });
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add account' }));
  });

  it('keeps keyboard focus inside the dialog', async () => {
    await openAccounts();
    const dialog = await openAddDialog();
    const social = dialog.getByRole('radio', { name: 'Refresh token (Google or GitHub sign-in)' });
    expect(document.activeElement).toBe(social);
    await userEvent.tab({ shift: true });
    expect(document.activeElement).toBe(dialog.getByRole('button', { name: 'Save account' }));
    await userEvent.tab();
    expect(document.activeElement).toBe(social);
  });
});
