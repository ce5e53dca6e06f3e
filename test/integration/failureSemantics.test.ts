/**
 * Failures that must spare the account and tell the client the truth, through the Anthropic SDK (no retries of
 * its own, so every upstream call counted here is Kiro Dock's): throttling capped and paced across requests, a
 * lone 402 checked with getUsageLimits before anything is decided, exception frames classified like the HTTP
 * errors they stand for, and no literal thinking tags for a request that asked for no thinking.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_KEY, parseSse, postJson, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness;
let client: Anthropic;

beforeEach(async () => {
  proxy = await startProxyHarness();
  client = new Anthropic({ baseURL: proxy.url, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterEach(async () => {
  expect(proxy.emulator.strictRejections()).toEqual([]);
  await proxy.close();
});

const callsOf = (operation: string) =>
  proxy.emulator.requests.filter((entry) => entry.operation === operation).length;
const chatCalls = () => callsOf('generateAssistantResponse');

function ask(content: string, extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {}) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 512,
    messages: [{ role: 'user', content }],
    ...extra,
  });
}

describe('throttling', () => {
  it('a single 429 is retried once after its Retry-After, and the answer arrives', async () => {
    proxy.emulator.setFault({ kind: '429', times: 1 });
    const message = await ask('hi [[reply:recovered]]');
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'recovered' });
    expect(chatCalls()).toBe(2);
  });

  it('a persistent 429 costs two upstream calls, then the client gets rate_limit_error with retry-after', async () => {
    proxy.emulator.setFault({ kind: '429' });
    const error = await ask('hi').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).headers.get('retry-after')).toBe('2');
    expect(chatCalls()).toBe(2);
  }, 20_000);

  it("paces the account across requests: later calls wait for the account's pause, then requests are turned away without a call", async () => {
    proxy.emulator.setFault({ kind: '429' });
    const started = performance.now();
    const first = await ask('one').catch((caught: unknown) => caught);
    const afterFirst = chatCalls();
    const second = await ask('two').catch((caught: unknown) => caught);
    const third = await ask('three').catch((caught: unknown) => caught);
    const elapsedMs = performance.now() - started;
    expect([first, second, third].every((error) => error instanceof Anthropic.RateLimitError)).toBe(true);
    expect(afterFirst).toBe(2);
    // Without pacing three requests would cost three calls each, 2 s apart at most (the upstream's Retry-After).
    expect(chatCalls()).toBeLessThanOrEqual(5);
    expect(elapsedMs).toBeGreaterThan(2 * 2_000);
    const last = third as InstanceType<typeof Anthropic.RateLimitError>;
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(2);
    // A fourth request now is held back without reaching Kiro, told how long to wait.
    const callsBefore = chatCalls();
    const fourth = await ask('four').catch((caught: unknown) => caught);
    expect(fourth).toBeInstanceOf(Anthropic.RateLimitError);
    expect(chatCalls()).toBe(callsBefore);
    expect(
      Number((fourth as InstanceType<typeof Anthropic.RateLimitError>).headers.get('retry-after')),
    ).toBeGreaterThan(5);
  }, 60_000);

  it('a ThrottlingException frame before any output is a 429 rate_limit_error with retry-after', async () => {
    const result = await postJson(`${proxy.url}/v1/messages`, {
      model: 'claude-sonnet-4-5',
      max_tokens: 512,
      stream: true,
      messages: [{ role: 'user', content: 'hi [[fault:throttling-exception]]' }],
    });
    expect(result.status).toBe(429);
    expect(Number(result.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(result.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(chatCalls()).toBe(2);
  }, 20_000);

  it('a ThrottlingException frame after output ends the stream with a rate_limit_error event', async () => {
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 512,
      messages: [{ role: 'user', content: 'hi [[fault:throttling-exception-late]]' }],
    });
    const error = await stream.finalMessage().catch((caught: unknown) => caught);
    expect(String(error)).toMatch(/rate_limit_error|Too many requests/);
    const raw = await postJson(`${proxy.url}/v1/messages`, {
      model: 'claude-sonnet-4-5',
      max_tokens: 512,
      stream: true,
      messages: [{ role: 'user', content: 'again [[fault:throttling-exception-late]]' }],
    });
    expect(raw.status).toBe(200);
    expect(parseSse(raw.text).at(-1)).toMatchObject({
      event: 'error',
      data: { type: 'error', error: { type: 'rate_limit_error' } },
    });
  }, 20_000);
});

describe('a 402 checked with getUsageLimits inside the request', () => {
  it('a lone 402 while credits are left: quota checked, the same account asked again, the answer arrives', async () => {
    proxy.emulator.setFault({ kind: '402', times: 1 });
    const quotaChecksBefore = callsOf('getUsageLimits');
    const message = await ask('hi [[reply:still serving]]');
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'still serving' });
    expect(chatCalls()).toBe(2);
    expect(callsOf('getUsageLimits')).toBeGreaterThan(quotaChecksBefore);
    const account = proxy.core.accounts.pool.snapshot()[0]!;
    expect(account.state.kind).toBe('active');
  });

  it('a 402 the quota confirms: one call, and the client is told the account is exhausted', async () => {
    // After the start-up quota check (which would otherwise see the exhaustion first and spare the call).
    const accountId = proxy.core.repository.list()[0]!.id;
    await expect.poll(() => proxy.core.accounts.pool.get(accountId)?.quota).toBeDefined();
    proxy.emulator.setCredits(proxy.emulatorAccountIds.ide!, 50, 50);
    const error = await ask('hi').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).message).toMatch(/exhausted/);
    expect(chatCalls()).toBe(1);
  });
});

describe('thinking: disabled', () => {
  it('never shows literal thinking tags, even when the model writes them', async () => {
    const message = await ask('hi [[thinks-anyway]] [[reply:plain answer]]', {
      thinking: { type: 'disabled' },
    });
    expect(message.content).toHaveLength(1);
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'plain answer' });
    const streamed = await client.messages
      .stream({
        model: 'claude-sonnet-4-5',
        max_tokens: 512,
        thinking: { type: 'disabled' },
        messages: [{ role: 'user', content: 'hi [[thinks-anyway]] [[reply:plain answer]]' }],
      })
      .finalText();
    expect(streamed).toBe('plain answer');
  });
});
