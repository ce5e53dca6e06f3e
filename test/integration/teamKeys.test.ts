/**
 * Team client keys through the official SDKs: each key's label, models, rate and credit budget (credits as the
 * emulator's meteringEvent reports them), refusals in the client's own error shape, revocation, and the default
 * key that keeps working beside them.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { CreatedClientKeyResponse, ListClientKeysResponse } from '../../shared/teamApi.ts';
import { adminRequest, adminTestScope } from './adminHttp.ts';
import { CLIENT_KEY, postJson, startProxyHarness } from './proxyHarness.ts';

const scope = adminTestScope();

async function createKey(url: string, body: object): Promise<CreatedClientKeyResponse> {
  const answer = await adminRequest(url, 'POST', '/admin/keys', { body });
  expect(answer.status, answer.text).toBe(201);
  return answer.json<CreatedClientKeyResponse>();
}

function anthropicFor(url: string, key: string) {
  return new Anthropic({ baseURL: url, apiKey: key, maxRetries: 0 });
}

const ask = (content: string) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content }],
});

describe('team client keys', () => {
  it('a 3-credit budget gives 3 answers, then 429 rate_limit_error naming the budget and its reset', async () => {
    const proxy = (scope.proxy = await startProxyHarness());
    const created = await createKey(proxy.url, { label: 'alice', creditLimit: 3, period: 'day' });
    expect(created).toEqual({
      id: expect.stringMatching(/^key_/),
      key: expect.stringMatching(/^kd-/),
      label: 'alice',
    });
    const client = anthropicFor(proxy.url, created.key);
    for (let i = 0; i < 3; i++) {
      const message = await client.messages.create(ask(`turn ${i} [[credits:1]] [[reply:ok ${i}]]`));
      expect(message.content[0]).toMatchObject({ type: 'text', text: `ok ${i}` });
    }
    const callsBefore = proxy.emulator.requests.length;
    const refused = await client.messages
      .create(ask('one more [[credits:1]]'))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    const error = refused as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error.status).toBe(429);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(error.message).toContain('budget of 3 credits per day (3 spent)');
    expect(error.message).toMatch(/resets at \d{4}-\d\d-\d\dT00:00:00\.000Z/);
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(error.headers?.get('retry-after'))).toBeLessThanOrEqual(86_400);
    expect(proxy.emulator.requests.length, 'a refused request costs no Kiro call').toBe(callsBefore);

    // The OpenAI dialect gets the same refusal in its own shape; the default key is not limited.
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: created.key, maxRetries: 0 });
    const openaiRefusal = await openai.chat.completions
      .create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect(openaiRefusal).toBeInstanceOf(OpenAI.RateLimitError);
    expect((openaiRefusal as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('key_budget_exceeded');
    const byDefault = await anthropicFor(proxy.url, CLIENT_KEY).messages.create(ask('[[credits:5]] hi'));
    expect(byDefault.content[0]).toMatchObject({ type: 'text' });

    const list = (await adminRequest(proxy.url, 'GET', '/admin/keys')).json<ListClientKeysResponse>();
    expect(list.keys).toEqual([
      expect.objectContaining({ id: created.id, label: 'alice', creditLimit: 3, period: 'day', spent: 3 }),
    ]);
    expect(JSON.stringify(list)).not.toContain(created.key);
    expect(JSON.stringify(list)).not.toContain('digest');
  });

  it('refuses a model outside the key list with 403 permission_error, and allows prefixes', async () => {
    const proxy = (scope.proxy = await startProxyHarness());
    const created = await createKey(proxy.url, { label: 'ci', models: ['claude-haiku-*'] });
    const client = anthropicFor(proxy.url, created.key);
    const refused = await client.messages.create(ask('hi')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect((refused as InstanceType<typeof Anthropic.PermissionDeniedError>).error).toMatchObject({
      error: {
        type: 'permission_error',
        message: expect.stringContaining('may not use the model "claude-sonnet-4-5"'),
      },
    });
    const allowed = await client.messages.create({ ...ask('hi [[reply:fast]]'), model: 'claude-haiku-4-5' });
    expect(allowed.content[0]).toMatchObject({ text: 'fast' });
  });

  it('limits requests per minute per key', async () => {
    const proxy = (scope.proxy = await startProxyHarness());
    const created = await createKey(proxy.url, { label: 'bot', requestsPerMinute: 2 });
    const client = anthropicFor(proxy.url, created.key);
    await client.messages.create(ask('one'));
    await client.messages.create(ask('two'));
    const refused = await client.messages.create(ask('three')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    expect((refused as Error).message).toContain('limited to 2 requests per minute');
    // Another key has a rate of its own.
    const other = await createKey(proxy.url, { label: 'other', requestsPerMinute: 2 });
    await expect(anthropicFor(proxy.url, other.key).messages.create(ask('mine'))).resolves.toBeDefined();
  });

  it('refuses a revoked key at once, and rejects bad key requests with a clear 400 / 404', async () => {
    const proxy = (scope.proxy = await startProxyHarness());
    const created = await createKey(proxy.url, { label: 'leaver' });
    expect((await postJson(`${proxy.url}/v1/messages`, ask('hi'), { 'x-api-key': created.key })).status).toBe(
      200,
    );
    expect((await adminRequest(proxy.url, 'DELETE', `/admin/keys/${created.id}`)).status).toBe(204);
    const refused = await postJson(`${proxy.url}/v1/messages`, ask('hi'), { 'x-api-key': created.key });
    expect(refused.status).toBe(401);
    expect(refused.json()).toMatchObject({ error: { type: 'authentication_error' } });
    const list = (await adminRequest(proxy.url, 'GET', '/admin/keys')).json<ListClientKeysResponse>();
    expect(list.keys[0]?.revokedAt).toEqual(expect.any(Number));

    const missing = await adminRequest(proxy.url, 'DELETE', '/admin/keys/key_nope');
    expect(missing.status).toBe(404);
    const bad = await adminRequest(proxy.url, 'POST', '/admin/keys', {
      body: { label: 'x', creditLimit: -1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ error: { message: expect.stringContaining('creditLimit') } });
  });
});
