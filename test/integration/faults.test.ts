/**
 * Every upstream fault the emulator can produce, and what a client must see for it: a proper error in its own
 * API shape before anything was sent, a well-formed error event after, a transparent retry where one is safe,
 * and never text sent twice.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSse, postJson, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness;
beforeAll(async () => {
  proxy = await startProxyHarness();
});
afterAll(async () => {
  await proxy.close();
});
beforeEach(async () => {
  proxy.emulator.setFault(undefined);
  // Each test starts from a healthy account: faults park accounts on purpose (cooldown, suspension, quota).
  for (const account of proxy.core.accounts.pool.snapshot()) {
    proxy.core.repository.persistState(account.record.id, undefined);
    proxy.core.accounts.pool.setState(account.record.id, { kind: 'active' });
  }
  await proxy.core.accounts.reload();
});

function ask(content: string, extra: Record<string, unknown> = {}) {
  return postJson(`${proxy.url}/v1/messages?beta=true`, {
    model: 'claude-sonnet-4-5',
    max_tokens: 512,
    messages: [{ role: 'user', content }],
    ...extra,
  });
}

function askOpenAI(content: string, extra: Record<string, unknown> = {}) {
  return postJson(`${proxy.url}/v1/chat/completions`, {
    model: 'claude-sonnet-4-5',
    messages: [{ role: 'user', content }],
    ...extra,
  });
}

function upstreamCallsDuring<T>(action: () => Promise<T>): Promise<{ result: T; calls: number }> {
  const before = proxy.emulator.requests.filter((r) => r.operation === 'generateAssistantResponse').length;
  return action().then((result) => ({
    result,
    calls: proxy.emulator.requests.filter((r) => r.operation === 'generateAssistantResponse').length - before,
  }));
}

function textOf(sse: string): string {
  return parseSse(sse)
    .map(({ data }) => data as { type?: string; delta?: { type?: string; text?: string } })
    .filter((data) => data.type === 'content_block_delta' && data.delta?.type === 'text_delta')
    .map((data) => data.delta?.text ?? '')
    .join('');
}

describe('errors before the first byte', () => {
  it('402 on every call although getUsageLimits shows credits: one more try, then insufficient_quota', async () => {
    const { result, calls } = await upstreamCallsDuring(() => askOpenAI('[[fault:402]]'));
    expect(calls).toBe(2);
    expect(result.status).toBe(429);
    expect(result.json()).toMatchObject({
      error: { code: 'insufficient_quota', message: expect.stringMatching(/quota exhausted/) },
    });
  });

  it('403 invalid token: one refresh, then the retry succeeds', async () => {
    const refreshesBefore = proxy.emulator.refreshCount;
    proxy.emulator.setFault({ kind: '403-invalid', times: 1 });
    const { result, calls } = await upstreamCallsDuring(() => ask('hi [[reply:fresh token]]'));
    expect(result.status).toBe(200);
    expect(calls).toBe(2);
    expect(proxy.emulator.refreshCount - refreshesBefore).toBe(1);
  });

  it('403 suspended on the only account: 503 naming the suspension, not to be retried', async () => {
    const { result, calls } = await upstreamCallsDuring(() => ask('[[fault:403-suspended]]'));
    expect(calls).toBe(1);
    expect(result.status).toBe(503);
    expect(result.headers.get('x-should-retry')).toBe('false');
    expect(result.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(result.text).toMatch(/suspended/);
  });

  it('Input is too long: 400 "prompt is too long" so clients compact', async () => {
    const { result, calls } = await upstreamCallsDuring(() => ask('[[fault:400-too-long]]'));
    expect(calls).toBe(1);
    expect(result.status).toBe(400);
    expect(result.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(result.text).toMatch(/prompt is too long/);
  });

  it('500 high load is retried once, then reported as overloaded', async () => {
    const { result, calls } = await upstreamCallsDuring(() => ask('[[fault:500]]'));
    expect(calls).toBe(2);
    expect(result.status).toBe(529);
    expect(result.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('an empty 200 stream is retried, never answered with nothing', async () => {
    proxy.emulator.setFault({ kind: 'empty', times: 1 });
    const { result, calls } = await upstreamCallsDuring(() =>
      ask('hi [[reply:second try]]', { stream: true }),
    );
    expect(calls).toBe(2);
    expect(textOf(result.text)).toBe('second try');
  });
});

describe('failures mid-stream', () => {
  for (const fault of ['cut', 'bad-crc', 'exception', 'cut-in-tool'] as const) {
    it(`${fault}: the stream ends with a well-formed error event and nothing is resent`, async () => {
      const tools = [
        { name: 'write_file', description: 'Write', input_schema: { type: 'object', properties: {} } },
      ];
      const content =
        fault === 'cut-in-tool'
          ? `[[fault:${fault}]] [[tool:write_file:{"path":"a.txt","text":"xyz"}]]`
          : `[[fault:${fault}]]`;
      const { result, calls } = await upstreamCallsDuring(() => ask(content, { stream: true, tools }));
      expect(result.status).toBe(200);
      const events = parseSse(result.text);
      expect(calls).toBe(1);
      expect(events[0]?.event).toBe('message_start');
      expect(events.at(-1)).toMatchObject({
        event: 'error',
        data: { type: 'error', error: { type: 'api_error' } },
      });
      expect(events.some((e) => e.event === 'message_stop')).toBe(false);
      const starts = events.filter((e) => e.event === 'message_start');
      expect(starts).toHaveLength(1);
    });
  }

  it('OpenAI streams end with an error chunk', async () => {
    const { result } = await upstreamCallsDuring(() => askOpenAI('[[fault:cut]]', { stream: true }));
    const events = parseSse(result.text);
    expect(events.at(-1)?.data).toMatchObject({ error: { message: expect.any(String) } });
  });

  it('a non-streaming request is retried whole after a mid-stream cut', async () => {
    proxy.emulator.setFault({ kind: 'cut', times: 1 });
    const { result, calls } = await upstreamCallsDuring(() => ask('hi [[reply:whole answer]]'));
    expect(calls).toBe(2);
    expect(result.status).toBe(200);
    expect((result.json() as { content: Array<{ text: string }> }).content).toEqual([
      { type: 'text', text: 'whole answer' },
    ]);
  });
});

describe('client disconnects', () => {
  it('aborts the upstream call when the client goes away mid-stream', async () => {
    const controller = new AbortController();
    const response = await fetch(`${proxy.url}/v1/messages`, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', 'x-api-key': 'kd-test-client-key' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 512,
        stream: true,
        messages: [{ role: 'user', content: 'a long one [[chunks:200]] [[delay:20]]' }],
      }),
    });
    const reader = response.body!.getReader();
    await reader.read(); // the stream has started
    const upstream = proxy.emulator.requests.at(-1)!;
    controller.abort();
    await expect.poll(() => upstream.clientDisconnected, { timeout: 2_000 }).toBe(true);
  });
});

describe('stream quirks that must not change the answer', () => {
  it('frames split across TCP writes, unknown events and repeated chunks give the same text', async () => {
    const plain = textOf((await ask('same [[reply:ha ha ha, the same answer]]', { stream: true })).text);
    for (const fault of ['split', 'unknown-event', 'duplicate']) {
      const text = textOf(
        (await ask(`same [[fault:${fault}]] [[reply:ha ha ha, the same answer]]`, { stream: true })).text,
      );
      if (fault === 'duplicate') expect(text.length).toBeGreaterThanOrEqual(plain.length);
      else expect(text).toBe(plain);
    }
    expect(plain).toBe('ha ha ha, the same answer');
  });
});

describe('client errors', () => {
  it('rejects a wrong or missing key in the dialect of the route', async () => {
    const anthropic = await postJson(`${proxy.url}/v1/messages`, {}, { 'x-api-key': 'wrong' });
    expect(anthropic.status).toBe(401);
    expect(anthropic.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const openai = await postJson(`${proxy.url}/v1/chat/completions`, {}, {});
    expect(openai.status).toBe(401);
    expect(openai.json()).toMatchObject({
      error: { type: 'authentication_error', message: expect.stringMatching(/Missing/) },
    });
  });

  it('accepts the key as a bearer token', async () => {
    const result = await postJson(
      `${proxy.url}/v1/messages`,
      { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
      { authorization: 'Bearer kd-test-client-key' },
    );
    expect(result.status).toBe(200);
  });

  it('says what is wrong with malformed JSON, wrong types and unknown models', async () => {
    const malformed = await postJson(`${proxy.url}/v1/messages`, '{"model": ');
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringMatching(/not valid JSON/) },
    });

    const wrongType = await postJson(`${proxy.url}/v1/messages`, {
      model: 'claude-sonnet-4-5',
      messages: 'hi',
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.text).toMatch(/messages/);

    const unknownModel = await postJson(`${proxy.url}/v1/chat/completions`, {
      model: 'not-a-model',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(unknownModel.status).toBe(400);
    expect(unknownModel.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringMatching(/not-a-model/) },
    });
  });

  it('gives every request an id in the response headers, keeping a plain one the client sent', async () => {
    const result = await ask('hi');
    expect(result.headers.get('request-id')).toMatch(/^req_[0-9a-f]{24}$/);
    expect(result.headers.get('x-request-id')).toBe(result.headers.get('request-id'));
    const own = await postJson(
      `${proxy.url}/v1/messages`,
      {},
      { 'x-api-key': 'kd-test-client-key', 'x-request-id': 'trace-42' },
    );
    expect(own.headers.get('request-id')).toBe('trace-42');
    const hostile = await postJson(
      `${proxy.url}/v1/messages`,
      {},
      { 'x-api-key': 'kd-test-client-key', 'x-request-id': 'a b;c' },
    );
    expect(hostile.headers.get('request-id')).toMatch(/^req_/);
  });

  it('answers unknown routes with a 404 in the API shape', async () => {
    const result = await postJson(`${proxy.url}/v1/nothing-here`, {});
    expect(result.status).toBe(404);
    expect(result.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});
