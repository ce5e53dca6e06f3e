/**
 * A `ksk_` key Kiro stops accepting (deleted in Kiro's console after it was added) has nothing to refresh: the
 * first refusal parks the account until the user replaces the key, with the fix in its state, instead of cooling
 * it down for a minute and trying it again, and again, every minute.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '../support/fakeClock.ts';
import { ADMIN_TOKEN, CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let clock: FakeClock;
let proxy: ProxyHarness;
let client: Anthropic;

beforeEach(async () => {
  clock = createFakeClock();
  proxy = await startProxyHarness({ noAccount: true, clock });
  client = new Anthropic({ baseURL: proxy.url, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterEach(async () => {
  await proxy.close();
});

const chatCalls = () =>
  proxy.emulator.requests.filter((entry) => entry.operation === 'generateAssistantResponse').length;

async function addApiKey(apiKey: string): Promise<{ id: string; state: { kind: string } }> {
  const answer = await fetch(`${proxy.url}/admin/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'api_key', apiKey }),
  });
  expect(answer.status).toBe(201);
  return (await answer.json()) as { id: string; state: { kind: string } };
}

const ask = () =>
  client.messages
    .create({ model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
    .catch((caught: unknown) => caught);

describe('a revoked API key', () => {
  it('is parked as needing a new key at its first refusal, and never tried again', async () => {
    const { apiKey } = proxy.emulator.createApiKeyAccount();
    const added = await addApiKey(apiKey);
    expect(added.state.kind).toBe('active');
    expect(await ask()).toMatchObject({ content: [{ type: 'text' }] });
    const callsWhileValid = chatCalls();

    proxy.emulator.revokeApiKey(apiKey);
    expect(await ask()).toBeInstanceOf(Anthropic.APIError);
    // One call: no refresh-and-retry of a key that cannot be refreshed.
    expect(chatCalls() - callsWhileValid).toBe(1);
    expect(proxy.core.accounts.pool.get(added.id)?.state).toMatchObject({
      kind: 'needs_relogin',
      reason: expect.stringMatching(/Kiro refuses this API key/),
      howToFix: 'Add the account again with a valid ksk_ API key.',
    });

    // Long after any cooldown would have ended, the key stays parked: Kiro is not asked with it again.
    clock.advance(10 * 60_000);
    const later = await ask();
    expect(later).toBeInstanceOf(Anthropic.APIError);
    expect((later as InstanceType<typeof Anthropic.APIError>).message).toMatch(/ksk_/);
    expect(chatCalls() - callsWhileValid).toBe(1);
  });
});
