/**
 * The admin API against a real Kiro Dock and the emulator: accounts listed without any secret, added, disabled,
 * removed, refreshed and imported; the pool strategy; live events; and the guard (token, Host, Origin).
 */
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../shared/adminApi.ts';
import { SETTING_POOL_STRATEGY } from '../../electron/core/index.ts';
import { apiKeyProblem, refreshTokenProblem } from '../../electron/core/accounts/refreshTokenCheck.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { createFakeClock } from '../support/fakeClock.ts';
import { AdminEventStream, adminRequest, adminTestScope } from './adminHttp.ts';
import { ADMIN_TOKEN, CLIENT_KEY, postJson, startProxyHarness, writeIdeLogin } from './proxyHarness.ts';

const scope = adminTestScope();

/** Without `headers`, as the dashboard asks (the admin token); with them, exactly those headers. */
function request(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  return adminRequest(scope.proxy!.url, method, path, headers ? { body, token: null, headers } : { body });
}

function ask(content = 'hi') {
  return postJson(`${scope.proxy!.url}/v1/messages`, {
    model: 'claude-sonnet-4-5',
    max_tokens: 64,
    messages: [{ role: 'user', content }],
  });
}

function chatAccounts(): Array<string | undefined> {
  return scope
    .proxy!.emulator.requests.filter((entry) => entry.operation === 'generateAssistantResponse')
    .map((entry) => entry.accountId);
}

async function listAccounts(): Promise<AccountView[]> {
  return (await request('GET', '/admin/accounts')).json<{ accounts: AccountView[] }>().accounts;
}

const manualId = () => scope.proxy!.core.repository.list().find((record) => record.source === 'manual')!.id;
const ideId = () => scope.proxy!.core.repository.list().find((record) => record.source === 'kiro-ide')!.id;

describe('admin API: accounts', () => {
  it('adds each kind of account and lists them all without any secret', async () => {
    scope.proxy = await startProxyHarness();
    const social = scope.proxy.emulator.createSocialAccount();
    const idc = scope.proxy.emulator.createIdcAccount();
    const apiKey = `ksk_${'k3Y'.repeat(12)}wxyz`;

    const addedSocial = await request('POST', '/admin/accounts', {
      kind: 'social',
      refreshToken: `  ${social.refreshToken}\n`,
      label: 'Work GitHub',
    });
    expect(addedSocial.status).toBe(201);
    expect(addedSocial.json()).toMatchObject({
      label: 'Work GitHub',
      source: 'manual',
      authMethod: 'social',
      state: { kind: 'active' },
      hasRefreshToken: true,
      hasApiKey: false,
      tokenExpiresAt: expect.any(Number),
      quota: { limit: 1000, used: expect.any(Number), remaining: expect.any(Number) },
    });
    const addedIdc = await request('POST', '/admin/accounts', {
      kind: 'idc',
      refreshToken: idc.refreshToken,
      clientId: idc.clientId,
      clientSecret: idc.clientSecret,
      region: idc.region,
    });
    expect(addedIdc.status).toBe(201);
    expect(addedIdc.json()).toMatchObject({ authMethod: 'idc', state: { kind: 'active' } });
    const addedKey = await request('POST', '/admin/accounts', { kind: 'api_key', apiKey });
    expect(addedKey.status).toBe(201);
    // A key Kiro never issued: checked with one usage read as it is added, and shown as Kiro refused it.
    expect(addedKey.json()).toMatchObject({
      authMethod: 'api_key',
      hasApiKey: true,
      apiKeyPreview: 'ksk_…wxyz',
      state: {
        kind: 'needs_relogin',
        reason: expect.stringMatching(/bearer token included in the request is invalid/),
      },
    });

    const ids = [addedSocial, addedIdc, addedKey].map((added) => added.json<AccountView>().id);
    for (const id of ids) expect(scope.proxy.core.accounts.pool.get(id)).toBeDefined();
    // Each account with a refresh token was refreshed as it was added: its state already says Kiro accepts it.
    expect(scope.proxy.emulator.refreshCount).toBe(2);

    const listed = await request('GET', '/admin/accounts');
    expect(listed.status).toBe(200);
    const body = listed.json<{ accounts: AccountView[]; strategy: string }>();
    expect(body.strategy).toBe('sequential');
    expect(body.accounts.map((account) => account.id)).toEqual(
      scope.proxy.core.repository.list().map((r) => r.id),
    );
    expect(body.accounts).toHaveLength(4);
    for (const secret of await everySecret([social, idc], apiKey)) {
      expect(fragmentsOf(secret).filter((fragment) => listed.text.includes(fragment))).toEqual([]);
    }
  });

  it('rejects cut-off tokens and malformed bodies with a message naming the field, and stores nothing', async () => {
    scope.proxy = await startProxyHarness();
    const truncated = `${scope.proxy.emulator.createSocialAccount().refreshToken.slice(0, 40)}...`;
    const cases: Array<[unknown, string]> = [
      [{ kind: 'social', refreshToken: truncated }, `refreshToken: ${refreshTokenProblem(truncated)}`],
      [{ kind: 'api_key', apiKey: 'sk-12345' }, `apiKey: ${apiKeyProblem('sk-12345')}`],
    ];
    for (const [body, message] of cases) {
      const answer = await request('POST', '/admin/accounts', body);
      expect(answer.status).toBe(400);
      expect(answer.json()).toEqual({ error: { message } });
    }
    const missingSecret = await request('POST', '/admin/accounts', {
      kind: 'idc',
      refreshToken: 'x'.repeat(200),
      clientId: 'id',
      region: 'us-east-1',
    });
    expect(missingSecret.status).toBe(400);
    expect(missingSecret.json<{ error: { message: string } }>().error.message).toMatch(/clientSecret/);
    const unknownKind = await request('POST', '/admin/accounts', { kind: 'password', password: 'x' });
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.text).toMatch(/kind/);
    expect(scope.proxy.core.repository.list()).toHaveLength(1);
  });

  it('a disabled account is no longer used; label changes; unknown ids are 404', async () => {
    scope.proxy = await startProxyHarness({ manualAccounts: 1 });
    const id = manualId();
    const disabled = await request('PATCH', `/admin/accounts/${id}`, { disabled: true, label: 'Spare' });
    expect(disabled.status).toBe(200);
    expect(disabled.json()).toMatchObject({
      id,
      label: 'Spare',
      disabled: true,
      state: { kind: 'disabled' },
    });
    // Sequential order would pick the manual account first; now only the IDE account serves.
    for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(200);
    expect(new Set(chatAccounts())).toEqual(new Set([scope.proxy.emulatorAccountIds.ide]));

    const enabled = await request('PATCH', `/admin/accounts/${id}`, { disabled: false });
    expect(enabled.json()).toMatchObject({ disabled: false, state: { kind: 'active' } });
    await ask();
    expect(chatAccounts().at(-1)).toBe(scope.proxy.emulatorAccountIds.manual[0]);

    expect((await request('PATCH', '/admin/accounts/acc_000000000000', { label: 'x' })).status).toBe(404);
    const badPatch = await request('PATCH', `/admin/accounts/${id}`, { disabled: 'yes' });
    expect(badPatch.status).toBe(400);
    expect(badPatch.text).toMatch(/disabled/);
  });

  it('removes an account, refuses to remove the IDE login it would re-import, and 404s the second time', async () => {
    scope.proxy = await startProxyHarness({ manualAccounts: 1 });
    const id = manualId();
    const removed = await request('DELETE', `/admin/accounts/${id}`);
    expect(removed.status).toBe(204);
    expect((await listAccounts()).map((account) => account.id)).toEqual([ideId()]);
    expect(scope.proxy.core.accounts.pool.get(id)).toBeUndefined();
    expect((await request('DELETE', `/admin/accounts/${id}`)).status).toBe(404);

    const ide = await request('DELETE', `/admin/accounts/${ideId()}`);
    expect(ide.status).toBe(409);
    expect(ide.text).toMatch(/disable it instead/);
  });

  it('refreshes an account now; a rejected refresh is a 502 with the reason and the new state', async () => {
    scope.proxy = await startProxyHarness({ manualAccounts: 1 });
    const id = manualId();
    const before = await scope.proxy.core.repository.readSecrets(id);
    const refreshed = await request('POST', `/admin/accounts/${id}/refresh`);
    expect(refreshed.status).toBe(200);
    expect(scope.proxy.emulator.refreshCount).toBe(1);
    const after = await scope.proxy.core.repository.readSecrets(id);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(refreshed.json()).toMatchObject({
      id,
      state: { kind: 'active' },
      tokenExpiresAt: after?.expiresAt,
    });

    scope.proxy.emulator.revokeRefreshToken(after!.refreshToken!);
    const failed = await request('POST', `/admin/accounts/${id}/refresh`);
    expect(failed.status).toBe(502);
    const body = failed.json<{ error: { message: string }; account: AccountView }>();
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(body.account.state).toMatchObject({ kind: 'needs_relogin', howToFix: expect.any(String) });
    expect((await listAccounts()).find((account) => account.id === id)?.state.kind).toBe('needs_relogin');
    expect((await request('POST', '/admin/accounts/acc_000000000000/refresh')).status).toBe(404);
  });

  it('refreshes an API key account with one usage read: accepted, or refused with what Kiro said', async () => {
    scope.proxy = await startProxyHarness();
    const { apiKey } = scope.proxy.emulator.createApiKeyAccount();
    const added = await request('POST', '/admin/accounts', { kind: 'api_key', apiKey, label: 'key' });
    expect(added.json()).toMatchObject({ state: { kind: 'active' }, quota: { limit: 1000 } });
    const id = added.json<AccountView>().id;
    expect((await request('POST', `/admin/accounts/${id}/refresh`)).status).toBe(200);

    const fake = await request('POST', '/admin/accounts', {
      kind: 'api_key',
      apiKey: `ksk_${'x'.repeat(48)}`,
      label: 'fake',
    });
    const fakeId = fake.json<AccountView>().id;
    const usageReads = () =>
      scope.proxy!.emulator.requests.filter((entry) => entry.operation === 'getUsageLimits').length;
    const readsBefore = usageReads();
    const refused = await request('POST', `/admin/accounts/${fakeId}/refresh`);
    expect(refused.status).toBe(502);
    const body = refused.json<{ error: { message: string }; account: AccountView }>();
    expect(body.error.message).toBe(
      'Kiro rejected the API key of "fake": The bearer token included in the request is invalid.',
    );
    expect(usageReads() - readsBefore).toBe(1);
    expect(body.account.state).toMatchObject({
      kind: 'needs_relogin',
      howToFix: expect.stringMatching(/ksk_ API key/),
    });
  });

  it('imports the Kiro IDE login once, and says when there is none', async () => {
    scope.proxy = await startProxyHarness({ noAccount: true });
    const none = await request('POST', '/admin/accounts/import', { from: 'ide' });
    expect(none.json()).toEqual({
      imported: [],
      alreadyPresent: [],
      problems: [`No Kiro IDE login in ${scope.proxy.authDir}.`],
    });

    await writeIdeLogin(scope.proxy.authDir, scope.proxy.emulator.createSocialAccount());
    const first = await request('POST', '/admin/accounts/import', { from: 'ide' });
    expect(first.status).toBe(200);
    const { imported, alreadyPresent } = first.json<{ imported: string[]; alreadyPresent: string[] }>();
    // The folder watcher may have picked the new login up first; either way it is in the pool exactly once.
    expect([...imported, ...alreadyPresent]).toEqual([ideId()]);
    expect(scope.proxy.core.accounts.pool.get(ideId())?.state.kind).toBe('active');
    const second = await request('POST', '/admin/accounts/import', { from: 'ide' });
    expect(second.json()).toEqual({ imported: [], alreadyPresent: [ideId()], problems: [] });
    expect((await ask()).status).toBe(200);

    const badSource = await request('POST', '/admin/accounts/import', { from: 'dropbox' });
    expect(badSource.status).toBe(400);
    expect(badSource.text).toMatch(/from/);
  });
});

describe('admin API: pool strategy', () => {
  it('reads, persists and applies the strategy', async () => {
    const settings = createMemorySettingsStore();
    scope.proxy = await startProxyHarness({ settings });
    expect((await request('GET', '/admin/pool/strategy')).json()).toEqual({ strategy: 'sequential' });
    const set = await request('PUT', '/admin/pool/strategy', { strategy: 'least-in-flight' });
    expect(set.status).toBe(200);
    expect(set.json()).toEqual({ strategy: 'least-in-flight' });
    expect(settings.get(SETTING_POOL_STRATEGY)).toBe('least-in-flight');
    expect(scope.proxy.core.accounts.pool.strategy).toBe('least-in-flight');
    expect((await request('GET', '/admin/pool/strategy')).json()).toEqual({ strategy: 'least-in-flight' });

    const bad = await request('PUT', '/admin/pool/strategy', { strategy: 'random' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/strategy/);
    expect(settings.get(SETTING_POOL_STRATEGY)).toBe('least-in-flight');
  });
});

describe('admin API: events', () => {
  it('streams the state change a fault causes, and strategy changes', async () => {
    scope.proxy = await startProxyHarness({ manualAccounts: 1 });
    scope.events = await AdminEventStream.open(scope.proxy.url);
    expect(scope.events.headers['content-type']).toMatch(/^text\/event-stream/);
    scope.proxy.emulator.setFault({ kind: '403-suspended', times: 1 });
    expect((await ask()).status).toBe(200);
    const suspended = await scope.events.next('account', (event) => event.account.state.kind === 'suspended');
    expect(suspended).toMatchObject({ account: { id: manualId(), state: { reason: expect.any(String) } } });

    await request('PUT', '/admin/pool/strategy', { strategy: 'round-robin' });
    await scope.events.next('strategy', (event) => event.strategy === 'round-robin');

    await request('DELETE', `/admin/accounts/${manualId()}`);
    await scope.events.next('account_removed');
  });

  it('sends at most one event per account per 250 ms, with the latest view', async () => {
    const clock = createFakeClock(Date.now());
    scope.proxy = await startProxyHarness({ manualAccounts: 1, clock });
    const pool = scope.proxy.core.accounts.pool;
    const [manual, ide] = [manualId(), ideId()];
    // The quota reads of the start are done, and so is the store sync their host probes set off (each probe
    // records the host it found), so the only changes streamed are the ones made here.
    await Promise.all([manual, ide].map((id) => scope.proxy!.core.accounts.checkQuota(id)));
    await scope.proxy.core.accounts.reload();
    scope.events = await AdminEventStream.open(scope.proxy.url);
    const coolingDown = (reason: string) => ({
      kind: 'cooling_down' as const,
      until: clock.now() + 60_000,
      reason,
    });

    pool.setState(manual, coolingDown('first'));
    await scope.events.next('account', (event) => event.account.id === manual);
    expect(scope.events.accountEvents(manual).map((view) => view.state)).toMatchObject([
      { kind: 'cooling_down', reason: 'first' },
    ]);
    pool.setState(manual, { kind: 'active' });
    pool.setState(manual, coolingDown('last'));
    // Another account's change goes out at once, by the same path: anything not held back would precede it.
    pool.setState(ide, coolingDown('other'));
    await scope.events.next('account', (event) => event.account.id === ide);
    expect(scope.events.accountEvents(manual)).toHaveLength(1);

    clock.advance(250);
    await scope.events.next(
      'account',
      (event) => event.account.state.kind === 'cooling_down' && event.account.state.reason === 'last',
    );
    expect(scope.events.accountEvents(manual).map((view) => view.state)).toMatchObject(
      ['first', 'last'].map((reason) => ({ kind: 'cooling_down', reason })),
    );
  });
});

describe('admin API: guard', () => {
  it('needs the admin token as a bearer token; the client key is not enough, and not the other way round', async () => {
    scope.proxy = await startProxyHarness();
    expect((await request('GET', '/admin/accounts', undefined, {})).status).toBe(401);
    const wrongCredentials: Array<Record<string, string>> = [
      { authorization: 'Bearer kda-wrong' },
      { authorization: `Bearer ${CLIENT_KEY}` },
      { 'x-api-key': CLIENT_KEY },
      { 'x-api-key': ADMIN_TOKEN },
    ];
    for (const headers of wrongCredentials) {
      const answer = await request('GET', '/admin/accounts', undefined, headers);
      expect(answer.status).toBe(401);
      expect(answer.json()).toEqual({ error: { message: expect.stringMatching(/admin token/) } });
    }
    const clientRoute = await postJson(
      `${scope.proxy.url}/v1/messages`,
      { model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
      { authorization: `Bearer ${ADMIN_TOKEN}` },
    );
    expect(clientRoute.status).toBe(401);
  });

  it('refuses foreign Host names, foreign origins and cross-site fetches, and never sends CORS headers', async () => {
    scope.proxy = await startProxyHarness();
    const port = new URL(scope.proxy.url).port;
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const refused: Array<Record<string, string>> = [
      { host: `evil.example:${port}` },
      { host: `127.0.0.1:${Number(port) + 1}` },
      { origin: 'http://evil.example' },
      { origin: `http://evil.example:${port}` },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of refused) {
      const answer = await request('GET', '/admin/accounts', undefined, { ...auth, ...headers });
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(answer.json<{ error: { message: string } }>().error.message.length).toBeGreaterThan(0);
    }
    const preflight = await request('OPTIONS', '/admin/accounts', undefined, {
      origin: 'http://evil.example',
      'access-control-request-method': 'DELETE',
    });
    expect(preflight.status).toBe(403);

    const sameOrigin = await request('GET', '/admin/accounts', undefined, {
      ...auth,
      host: `localhost:${port}`,
      origin: `http://localhost:${port}`,
      'sec-fetch-site': 'same-origin',
    });
    expect(sameOrigin.status).toBe(200);
    for (const answer of [preflight, sameOrigin]) {
      expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });
});

/** Every token and secret the emulator handed out for these accounts, and every one Kiro Dock holds now. */
async function everySecret(
  logins: Array<{ accessToken: string; refreshToken: string; clientSecret?: string; clientId?: string }>,
  apiKey: string,
): Promise<string[]> {
  const issued = logins.flatMap((login) => [
    login.accessToken,
    login.refreshToken,
    login.clientSecret,
    login.clientId,
  ]);
  const held = await Promise.all(
    scope.proxy!.core.repository.list().map(async (record) => {
      const secrets = await scope.proxy!.core.repository.readSecrets(record.id);
      return [
        secrets?.accessToken,
        secrets?.refreshToken,
        secrets?.clientSecret,
        secrets?.clientId,
        secrets?.apiKey,
      ];
    }),
  );
  return [...issued, ...held.flat(), apiKey].filter((value): value is string => Boolean(value));
}

/** Every 8-character piece: not even a masked fragment of a secret may show (an API key's last 4 may). */
function fragmentsOf(secret: string): string[] {
  return Array.from({ length: Math.max(1, secret.length - 7) }, (_, start) => secret.slice(start, start + 8));
}
