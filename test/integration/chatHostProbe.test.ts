/**
 * Each account's chat host, found by a probe that spends no credits, against an emulator whose hosts accept
 * only some login types: the probe picks the host the emulator accepts, remembers it (and shows it), probes again
 * when the host stops taking the login, and the chatHost setting pins one host for all.
 */
import { describe, expect, it } from 'vitest';
import type { ListAccountsResponse } from '../../shared/adminApi.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { adminRequest, adminTestScope } from './adminHttp.ts';
import { CLIENT_KEY, postJson, startProxyHarness } from './proxyHarness.ts';

const scope = adminTestScope();
const hello = { model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] };

const chats = () =>
  scope.proxy!.emulator.requests.filter((entry) => entry.operation === 'generateAssistantResponse');
const probes = () => scope.proxy!.emulator.requests.filter((entry) => entry.operation === 'chatHostProbe');
const ask = async () =>
  (await postJson(`${scope.proxy!.url}/v1/messages`, hello, { 'x-api-key': CLIENT_KEY })).status;

async function shownAccount() {
  return (await adminRequest(scope.proxy!.url, 'GET', '/admin/accounts')).json<ListAccountsResponse>()
    .accounts[0];
}

describe('chat host per login', () => {
  it('probes q then runtime for a social login only runtime accepts, and remembers runtime', async () => {
    scope.proxy = await startProxyHarness({
      emulator: { hostRules: { social: ['runtime'], idc: ['q'], api_key: ['runtime'] } },
    });
    expect(await ask()).toBe(200);
    expect(probes().map((entry) => [entry.host, entry.status])).toEqual([
      ['q', 403],
      ['runtime', 400],
    ]);
    expect(chats().map((entry) => [entry.host, entry.status])).toEqual([['runtime', 200]]);
    expect(await ask()).toBe(200);
    expect(probes()).toHaveLength(2);

    await expect.poll(async () => (await shownAccount())?.chatHost?.family).toBe('runtime');
    const account = await shownAccount();
    expect(account?.chatHost).toMatchObject({ family: 'runtime', host: 'runtime.us-east-1.kiro.dev' });
    expect(account?.profileArn).toMatch(/^arn:aws:codewhisperer:us-east-1:/);
  });

  it('keeps a login on q when q accepts it, with one probe', async () => {
    scope.proxy = await startProxyHarness();
    expect(await ask()).toBe(200);
    expect(probes().map((entry) => entry.host)).toEqual(['q']);
    expect(chats().map((entry) => entry.host)).toEqual(['q']);
  });

  it('probes again once the remembered host refuses the login, and the request still succeeds', async () => {
    scope.proxy = await startProxyHarness();
    expect(await ask()).toBe(200);
    scope.proxy.emulator.setOptions({ hostRules: { social: ['runtime'], idc: ['q'], api_key: ['runtime'] } });
    expect(await ask()).toBe(200);
    expect(chats().map((entry) => [entry.host, entry.status])).toEqual([
      ['q', 200],
      ['q', 403],
      ['runtime', 200],
    ]);
    await expect.poll(async () => (await shownAccount())?.chatHost?.family).toBe('runtime');
  });

  it('sends every request to the pinned host without probing', async () => {
    scope.proxy = await startProxyHarness({ settings: createMemorySettingsStore({ chatHost: 'runtime' }) });
    expect(await ask()).toBe(200);
    expect(probes()).toEqual([]);
    expect(chats().map((entry) => entry.host)).toEqual(['runtime']);
  });
});
