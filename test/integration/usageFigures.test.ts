/**
 * The usage a client is told, through the Anthropic and OpenAI SDKs against the emulator: one input figure in
 * count_tokens, message_start and message_delta, calibrated per model from Kiro's own figures; images counted by
 * pixels; Kiro's cache figures passed through; credits recorded per request and charged to the quota shown.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListAccountsResponse, RecentRequestsResponse } from '../../shared/adminApi.ts';
import { noisePng } from '../support/noisePng.ts';
import { adminRequest } from './adminHttp.ts';
import { ADMIN_TOKEN, CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness;
let client: Anthropic;

beforeEach(async () => {
  proxy = await startProxyHarness({ quotaIntervalMs: 24 * 3_600_000 });
  client = new Anthropic({ baseURL: proxy.url, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterEach(async () => {
  expect(proxy.emulator.strictRejections()).toEqual([]);
  await proxy.close();
});

const SYSTEM = 'Follow the repository conventions and explain each change. '.repeat(400);
const IMAGE = noisePng(200, 170);

function request(content: Anthropic.MessageParam['content']): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 256,
    system: SYSTEM,
    messages: [{ role: 'user', content }],
  };
}

/** The three figures a client sees for one request. */
async function figures(params: Anthropic.MessageCreateParamsNonStreaming) {
  const counted = await client.messages.countTokens({
    model: params.model,
    system: params.system,
    messages: params.messages,
  });
  const stream = client.messages.stream(params);
  let started: Anthropic.Usage | undefined;
  stream.on('streamEvent', (event) => {
    if (event.type === 'message_start') started = event.message.usage;
  });
  const final = await stream.finalMessage();
  return { counted: counted.input_tokens, started: started!.input_tokens, usage: final.usage };
}

describe('one input figure', () => {
  it('is the same in count_tokens, message_start and message_delta, and learns Kiro’s figure for the model', async () => {
    const first = await figures(request('Fix the bug. [[reply:ok]]'));
    expect(first.started).toBe(first.counted);
    expect(first.usage.input_tokens).toBe(first.counted);
    const second = await figures(request('Fix the bug. [[reply:ok]]'));
    expect(second.started).toBe(second.counted);
    expect(second.usage.input_tokens).toBe(second.counted);
    // The emulator counts the Kiro body's bytes ÷ 4: the second figure is that, learnt from the first answer.
    const kiroBodyBytes = Buffer.byteLength(JSON.stringify(proxy.emulator.requests.at(-1)!.body));
    expect(Math.abs(second.counted - kiroBodyBytes / 4) / (kiroBodyBytes / 4)).toBeLessThan(0.02);
    expect(Math.abs(second.counted - first.counted)).toBeGreaterThan(0);
  });

  it('counts an image by its pixels, not by its 100 KB of base64', async () => {
    expect(IMAGE.length).toBeGreaterThan(100_000);
    await figures(request('Describe it. [[reply:ok]]'));
    const without = await figures(request('Describe it. [[reply:ok]]'));
    const withImage = await figures(
      request([
        { type: 'text', text: 'Describe it. [[reply:ok]]' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: IMAGE } },
      ]),
    );
    expect(withImage.started).toBe(withImage.counted);
    expect(withImage.usage.input_tokens).toBe(withImage.counted);
    // 200 × 170 px = 46 tokens, plus the few tokens of the image's place in the Kiro body.
    expect(withImage.counted - without.counted).toBeGreaterThanOrEqual(46);
    expect(withImage.counted - without.counted).toBeLessThan(100);
  });

  it("passes Kiro's cache figures through, uncached + read + write being the figure; absent stays absent", async () => {
    const plain = await figures(request('Hi [[reply:ok]]'));
    expect(plain.usage.cache_read_input_tokens ?? null).toBeNull();
    expect(plain.usage.cache_creation_input_tokens ?? null).toBeNull();
    const cached = await figures(request('Hi [[reply:ok]] [[cache-read:900]] [[cache-write:100]]'));
    expect(cached.usage.cache_read_input_tokens).toBe(900);
    expect(cached.usage.cache_creation_input_tokens).toBe(100);
    expect(cached.usage.input_tokens + 900 + 100).toBe(cached.counted);
  });

  it('gives OpenAI clients the same figure as prompt_tokens', async () => {
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    const asked = request('Hi [[reply:ok]]');
    const counted = await client.messages.countTokens({
      model: asked.model,
      system: asked.system,
      messages: asked.messages,
    });
    const completion = await openai.chat.completions.create({
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: 'Hi [[reply:ok]]' },
      ],
    });
    expect(Math.abs(completion.usage!.prompt_tokens - counted.input_tokens)).toBeLessThan(10);
  });
});

describe('credits', () => {
  it('records what each turn cost in the requests log and metrics, and charges it to the quota shown', async () => {
    const accountId = proxy.core.repository.list()[0]!.id;
    await expect.poll(() => proxy.core.accounts.pool.get(accountId)?.quota?.used).toBe(0);
    const emulatorId = proxy.emulatorAccountIds.ide!;
    for (let i = 0; i < 3; i++) await client.messages.create(request(`question ${i} [[reply:ok]]`));
    const answer = await adminRequest(proxy.url, 'GET', '/admin/requests');
    const { requests } = answer.json<RecentRequestsResponse>();
    const credits = requests.map((entry) => entry.credits);
    expect(credits.every((value) => typeof value === 'number' && value > 0)).toBe(true);
    const total = credits.reduce((sum: number, value) => sum + value!, 0);
    const metered = proxy.emulator.usage(emulatorId).credits;
    expect(total).toBeCloseTo(metered, 6);
    // Between getUsageLimits polls (one a day here) the quota moves by what was metered.
    expect(proxy.core.accounts.pool.get(accountId)?.quota?.used).toBeCloseTo(metered, 6);
    // The dashboard's quota bar reads the same through the admin API.
    const listed = (await adminRequest(proxy.url, 'GET', '/admin/accounts')).json<ListAccountsResponse>();
    const view = listed.accounts.find((account) => account.id === accountId)!;
    expect(view.quota?.used).toBeCloseTo(metered, 6);
    expect(view.quota?.remaining).toBeCloseTo(view.quota!.limit - metered, 6);
    const metrics = await fetch(`${proxy.url}/metrics`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    }).then((response) => response.text());
    expect(metrics).toMatch(/kirodock_credits_total\{[^}]*\} \d/);
  });
});
