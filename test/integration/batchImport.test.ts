/**
 * `/admin/accounts/batch` against the emulator: pasted refresh tokens and an export file, each proven by a
 * refresh, duplicates (in the pool or in the batch) named with the account that has them, each failure named,
 * never a token in the answers.
 */
import { describe, expect, it } from 'vitest';
import type { ListAccountsResponse } from '../../shared/adminApi.ts';
import type { BatchImportView } from '../../shared/batchImportApi.ts';
import { adminRequest, adminTestScope } from './adminHttp.ts';
import { startProxyHarness } from './proxyHarness.ts';

const scope = adminTestScope();

async function importText(text: string): Promise<BatchImportView> {
  const proxy = scope.proxy!;
  const started = await adminRequest(proxy.url, 'POST', '/admin/accounts/batch', { body: { text } });
  expect(started.status).toBe(202);
  const { id } = started.json<BatchImportView>();
  let view: BatchImportView | undefined;
  await expect
    .poll(async () => {
      view = (await adminRequest(proxy.url, 'GET', `/admin/accounts/batch/${id}`)).json<BatchImportView>();
      return view.done;
    })
    .toBe(true);
  return view!;
}

describe('batch import', () => {
  it('adds pasted tokens, names duplicates and failures, and shows no token', async () => {
    scope.proxy = await startProxyHarness();
    const { emulator } = scope.proxy;
    const [first, second, dead] = [
      emulator.createSocialAccount(),
      emulator.createSocialAccount(),
      emulator.createSocialAccount(),
    ];
    emulator.revokeRefreshToken(dead.refreshToken);
    const ideToken = (await scope.proxy.core.repository.readSecrets(
      scope.proxy.core.repository.list()[0]!.id,
    ))!.refreshToken!;
    const text = [
      first.refreshToken,
      second.refreshToken,
      first.refreshToken,
      'aorAbCdEf...',
      dead.refreshToken,
      ideToken,
    ].join('\n');

    const view = await importText(text);
    expect(view.items.map(({ index, status }) => [index, status])).toEqual([
      [1, 'added'],
      [2, 'added'],
      [3, 'duplicate'],
      [4, 'failed'],
      [5, 'failed'],
      [6, 'duplicate'],
    ]);
    expect(view.items[2]!.message).toBe(`Already in the pool as ${view.items[0]!.accountId}.`);
    expect(view.items[3]!.message).toMatch(/truncated|\.\.\./i);
    expect(view.items[4]!.message).toMatch(/^Kiro refused it: .*invalid/i);
    expect(view.items[5]!.accountId).toBe(scope.proxy.core.repository.list()[0]!.id);
    const shown = JSON.stringify(view);
    for (const token of emulator.issuedTokens()) expect(shown).not.toContain(token);
    expect(view.items[0]!.preview).toMatch(/^aor….{4}$/);

    const accounts = (
      await adminRequest(scope.proxy.url, 'GET', '/admin/accounts')
    ).json<ListAccountsResponse>().accounts;
    expect(accounts).toHaveLength(3);
    // The stored token is the one the proving refresh issued: the pasted one died as Kiro rotated it.
    const stored = await scope.proxy.core.repository.readSecrets(view.items[0]!.accountId!);
    expect(stored?.refreshToken).not.toBe(first.refreshToken);
    expect(emulator.issuedTokens()).toContain(stored?.refreshToken);
  });

  it('reads an export file with an IdC login and its client registration', async () => {
    scope.proxy = await startProxyHarness({ noAccount: true });
    const idc = scope.proxy.emulator.createIdcAccount();
    const file = JSON.stringify({
      accounts: [
        {
          label: 'team',
          authMethod: 'idc',
          region: 'us-east-1',
          authRegion: idc.region,
          secrets: { refreshToken: idc.refreshToken, clientId: idc.clientId, clientSecret: idc.clientSecret },
        },
        { label: 'broken', authMethod: 'idc', secrets: { refreshToken: 'aor'.padEnd(120, 'x') } },
      ],
    });
    const view = await importText(file);
    expect(view.items.map((item) => item.status)).toEqual(['added', 'failed']);
    expect(view.items[1]!.message).toMatch(/needs its clientId and clientSecret/);
    const [account] = (
      await adminRequest(scope.proxy.url, 'GET', '/admin/accounts')
    ).json<ListAccountsResponse>().accounts;
    expect(account).toMatchObject({ label: 'team', authMethod: 'idc', id: view.items[0]!.accountId });
  });

  it('refuses text it cannot read with 400', async () => {
    scope.proxy = await startProxyHarness({ noAccount: true });
    const bad = await adminRequest(scope.proxy.url, 'POST', '/admin/accounts/batch', {
      body: { text: '{"accounts": [' },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/not valid JSON/);
  });
});
