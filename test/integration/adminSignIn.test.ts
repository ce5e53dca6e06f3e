/**
 * `/admin/sign-in` against the emulator's AWS sign-in and Kiro's social login: a device code that the
 * "browser" approves becomes an account that serves, a cancel stops the polling, a Google sign-in finishes with
 * the pasted redirect address (PKCE and state checked), and "Sign in again" keeps the account.
 */
import { describe, expect, it } from 'vitest';
import type { AccountView, ListAccountsResponse } from '../../shared/adminApi.ts';
import type { SignInSessionView } from '../../shared/signInApi.ts';
import { adminRequest, adminTestScope } from './adminHttp.ts';
import { CLIENT_KEY, postJson, startProxyHarness } from './proxyHarness.ts';

const scope = adminTestScope();
const hello = { model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] };

async function startHarness() {
  scope.proxy = await startProxyHarness({ noAccount: true, emulator: { devicePollIntervalSeconds: 1 } });
  return scope.proxy;
}

async function waitForState(url: string, id: string, state: SignInSessionView['state']) {
  let view: SignInSessionView | undefined;
  await expect
    .poll(
      async () => {
        view = (await adminRequest(url, 'GET', `/admin/sign-in/${id}`)).json<SignInSessionView>();
        return view.state;
      },
      { timeout: 8000 },
    )
    .toBe(state);
  return view!;
}

describe('/admin/sign-in', () => {
  it('shows the device code, adds the approved login to the pool, and it serves', async () => {
    const proxy = await startHarness();
    const started = await adminRequest(proxy.url, 'POST', '/admin/sign-in', {
      body: { method: 'builder-id' },
    });
    expect(started.status).toBe(201);
    const view = started.json<SignInSessionView>();
    expect(view).toMatchObject({
      method: 'builder-id',
      state: 'waiting',
      userCode: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
    });
    expect(view.verificationUriComplete).toContain(view.userCode);

    proxy.emulator.decideDeviceAuthorization(view.userCode!, 'approved');
    const done = await waitForState(proxy.url, view.id, 'succeeded');
    const accounts = (await adminRequest(proxy.url, 'GET', '/admin/accounts')).json<ListAccountsResponse>()
      .accounts;
    expect(accounts).toEqual([
      expect.objectContaining({
        id: done.accountId,
        label: 'AWS Builder ID',
        authMethod: 'idc',
        provider: 'BuilderId',
        signIn: expect.objectContaining({ method: 'builder-id' }),
      }),
    ]);
    expect((await postJson(`${proxy.url}/v1/messages`, hello, { 'x-api-key': CLIENT_KEY })).status).toBe(200);
  }, 20_000);

  it('cancels a waiting sign-in: no more polls, no account', async () => {
    const proxy = await startHarness();
    const view = (
      await adminRequest(proxy.url, 'POST', '/admin/sign-in', { body: { method: 'builder-id' } })
    ).json<SignInSessionView>();
    const cancelled = await adminRequest(proxy.url, 'DELETE', `/admin/sign-in/${view.id}`);
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', failure: 'cancelled' });
    const polls = proxy.emulator.deviceAuthorizations()[0]!.polls;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(proxy.emulator.deviceAuthorizations()[0]!.polls).toBe(polls);
    expect(
      (await adminRequest(proxy.url, 'GET', '/admin/accounts')).json<ListAccountsResponse>().accounts,
    ).toEqual([]);
  }, 20_000);

  it('reports a denied code with a sentence saying what to do', async () => {
    const proxy = await startHarness();
    const view = (
      await adminRequest(proxy.url, 'POST', '/admin/sign-in', { body: { method: 'builder-id' } })
    ).json<SignInSessionView>();
    proxy.emulator.decideDeviceAuthorization(view.userCode!, 'denied');
    const failed = await waitForState(proxy.url, view.id, 'failed');
    expect(failed).toMatchObject({ failure: 'denied', message: expect.stringMatching(/choose Allow/) });
  }, 20_000);

  it('finishes a Google sign-in from the pasted redirect address, and refuses a foreign one', async () => {
    const proxy = await startHarness();
    const view = (
      await adminRequest(proxy.url, 'POST', '/admin/sign-in', {
        body: { method: 'social', provider: 'google' },
      })
    ).json<SignInSessionView>();
    const loginUrl = new URL(view.loginUrl!);
    expect(loginUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(view.redirectUri).toBe('kiro://kiro.kiroAgent/authenticate-success');
    // The browser: the auth service redirects to the kiro:// address, which the user copies.
    const login = await fetch(loginUrl, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const redirected = login.headers.get('location')!;
    const forged = redirected.replace(/state=[^&]+/, 'state=someone-elses-state-value');
    const refused = await adminRequest(proxy.url, 'POST', `/admin/sign-in/${view.id}/complete`, {
      body: { redirectedUrl: forged },
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/does not belong to this sign-in/);

    await adminRequest(proxy.url, 'POST', `/admin/sign-in/${view.id}/complete`, {
      body: { redirectedUrl: redirected },
    });
    const done = await waitForState(proxy.url, view.id, 'succeeded');
    const account = (await adminRequest(proxy.url, 'GET', '/admin/accounts')).json<ListAccountsResponse>()
      .accounts[0] as AccountView;
    expect(account).toMatchObject({
      id: done.accountId,
      label: 'Google',
      authMethod: 'social',
      provider: 'Google',
    });
    expect(proxy.emulator.socialLogins()).toEqual(['Google']);
    expect((await postJson(`${proxy.url}/v1/messages`, hello, { 'x-api-key': CLIENT_KEY })).status).toBe(200);
  }, 20_000);

  it('signs an account in again the way it signed in before, keeping its id', async () => {
    const proxy = await startHarness();
    const first = (
      await adminRequest(proxy.url, 'POST', '/admin/sign-in', { body: { method: 'builder-id' } })
    ).json<SignInSessionView>();
    proxy.emulator.decideDeviceAuthorization(first.userCode!, 'approved');
    const { accountId } = await waitForState(proxy.url, first.id, 'succeeded');
    const again = (
      await adminRequest(proxy.url, 'POST', '/admin/sign-in', { body: { accountId } })
    ).json<SignInSessionView>();
    expect(again.method).toBe('builder-id');
    proxy.emulator.decideDeviceAuthorization(again.userCode!, 'approved');
    expect(await waitForState(proxy.url, again.id, 'succeeded')).toMatchObject({ accountId, renewed: true });
    expect(
      (await adminRequest(proxy.url, 'GET', '/admin/accounts')).json<ListAccountsResponse>().accounts,
    ).toHaveLength(1);
  }, 20_000);

  it('answers a bad start with 400 and the reason', async () => {
    const proxy = await startHarness();
    const bad = await adminRequest(proxy.url, 'POST', '/admin/sign-in', {
      body: { method: 'idc', startUrl: 'not a url' },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/start URL/);
    const none = await adminRequest(proxy.url, 'POST', '/admin/sign-in', { body: {} });
    expect(none.status).toBe(400);
  });
});
