import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createShiftedClock } from '../support/shiftedClock.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { CLIENT_KEY, parseSse, postJson, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

const clock = createShiftedClock();
let proxy: ProxyHarness;
let client: Anthropic;
const opened: ProxyHarness[] = [];

beforeAll(async () => {
  proxy = await startProxyHarness({ clock, responseCache: { enabled: true } });
  client = new Anthropic({ baseURL: proxy.url, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((harness) => harness.close()));
});
afterAll(async () => {
  expect(proxy.emulator.strictRejections()).toEqual([]);
  await proxy.close();
});

function upstreamCalls(harness: ProxyHarness = proxy): number {
  return harness.emulator.requests.filter((entry) => entry.operation === 'generateAssistantResponse').length;
}

function request(content: string, stream = false) {
  return { model: 'claude-sonnet-4-5', max_tokens: 512, stream, messages: [{ role: 'user', content }] };
}

type SseEvent = { event: string | undefined; data: unknown };

function streamedText(events: SseEvent[]): string {
  return events
    .map(({ data }) => (data as { delta?: { type?: string; text?: string } }).delta)
    .filter((delta) => delta?.type === 'text_delta')
    .map((delta) => delta!.text)
    .join('');
}

function messageId(events: SseEvent[]): string {
  return (events[0]?.data as { message: { id: string } }).message.id;
}

describe('response cache', () => {
  it('answers an identical request from the cache, streamed as a proper SSE stream', async () => {
    const question = 'Cache me [[reply:A cached answer]] [[usage]]';
    const before = upstreamCalls();
    const first = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 512,
      messages: [{ role: 'user', content: question }],
    });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 512,
      messages: [{ role: 'user', content: question }],
    });
    const second = await stream.finalMessage();

    expect(upstreamCalls() - before).toBe(1);
    expect(second.content).toEqual(first.content);
    expect(second.content[0]).toMatchObject({ type: 'text', text: 'A cached answer' });
    expect(second.stop_reason).toBe(first.stop_reason);
    expect(second.usage.input_tokens).toBe(first.usage.input_tokens);
    expect(second.usage.output_tokens).toBe(first.usage.output_tokens);
    expect(second.id).not.toBe(first.id);

    const raw = await postJson(`${proxy.url}/v1/messages`, request(question, true));
    expect(raw.headers.get('x-kiro-dock-cache')).toBe('hit');
    expect(raw.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(raw.text);
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(streamedText(events)).toBe('A cached answer');
    expect(upstreamCalls() - before).toBe(1);
  });

  it('reports a miss on the first request and caches tool calls', async () => {
    const body = {
      ...request('Weather? [[tool:get_weather:{"city":"Oslo"}]]'),
      tools: [
        { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      ],
    };
    const before = upstreamCalls();
    const first = await postJson(`${proxy.url}/v1/messages`, body);
    const second = await postJson(`${proxy.url}/v1/messages`, body);
    expect(first.headers.get('x-kiro-dock-cache')).toBe('miss');
    expect(second.headers.get('x-kiro-dock-cache')).toBe('hit');
    const { id: firstId, ...firstMessage } = first.json() as { id: string; stop_reason: string };
    const { id: secondId, ...secondMessage } = second.json() as { id: string };
    expect(firstMessage.stop_reason).toBe('tool_use');
    expect(secondMessage).toEqual(firstMessage);
    expect(secondId).not.toBe(firstId);
    expect(upstreamCalls() - before).toBe(1);
  });

  it('sends 10 identical concurrent streaming requests upstream once, each getting the whole stream', async () => {
    const before = upstreamCalls();
    const body = request('Share this [[chunks:8]] [[delay:20]] [[reply:one answer for everyone]]', true);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => postJson(`${proxy.url}/v1/messages`, body)),
    );
    expect(upstreamCalls() - before).toBe(1);
    const results = answers.map((answer) => answer.headers.get('x-kiro-dock-cache'));
    expect(results.filter((result) => result === 'miss')).toHaveLength(1);
    expect(results.filter((result) => result === 'coalesced')).toHaveLength(9);
    const ids = new Set<string>();
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const events = parseSse(answer.text);
      expect(events[0]?.event).toBe('message_start');
      expect(events.at(-1)?.event).toBe('message_stop');
      expect(events.filter((event) => event.event === 'message_start')).toHaveLength(1);
      expect(streamedText(events)).toBe('one answer for everyone');
      ids.add(messageId(events));
    }
    expect(ids.size).toBe(10);
  });

  it('gives followers of a failed call the error in their own dialect, and caches nothing', async () => {
    const content = 'Doomed [[delay:20]] [[chunks:4]] [[fault:400-too-long]]';
    const before = upstreamCalls();
    const [anthropic, openai] = await Promise.all([
      postJson(`${proxy.url}/v1/messages`, request(content)),
      postJson(`${proxy.url}/v1/chat/completions`, {
        model: 'claude-sonnet-4-5',
        max_tokens: 512,
        messages: [{ role: 'user', content }],
      }),
    ]);
    expect(anthropic.status).toBe(400);
    expect(openai.status).toBe(400);
    expect(anthropic.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(openai.json()).toMatchObject({ error: { message: expect.any(String) } });
    const again = await postJson(`${proxy.url}/v1/messages`, request(content));
    expect(again.status).toBe(400);
    expect(again.headers.get('x-kiro-dock-cache')).not.toBe('hit');
    expect(upstreamCalls() - before).toBeGreaterThanOrEqual(2);
  });

  it('does not cache a stream that was cut', async () => {
    const content = 'Cut me [[chunks:6]] [[reply:whole answer]]';
    proxy.emulator.setFault({ kind: 'cut', times: 1 });
    const before = upstreamCalls();
    const cut = await postJson(`${proxy.url}/v1/messages`, request(content, true));
    expect(parseSse(cut.text).some((event) => event.event === 'error')).toBe(true);
    const retried = await postJson(`${proxy.url}/v1/messages`, request(content, true));
    expect(retried.headers.get('x-kiro-dock-cache')).toBe('miss');
    expect(streamedText(parseSse(retried.text))).toBe('whole answer');
    expect(upstreamCalls() - before).toBe(2);
  });

  it('forgets answers after the time to live', async () => {
    const body = request('Expire me [[reply:fresh]]');
    const before = upstreamCalls();
    await postJson(`${proxy.url}/v1/messages`, body);
    clock.shift(119_000);
    expect((await postJson(`${proxy.url}/v1/messages`, body)).headers.get('x-kiro-dock-cache')).toBe('hit');
    clock.shift(2_000);
    expect((await postJson(`${proxy.url}/v1/messages`, body)).headers.get('x-kiro-dock-cache')).toBe('miss');
    expect(upstreamCalls() - before).toBe(2);
  });

  it('is off when the responseCache setting says so', async () => {
    const harness = await startProxyHarness({
      responseCache: { enabled: true },
      settings: createMemorySettingsStore({ responseCache: { enabled: false } }),
    });
    opened.push(harness);
    const body = request('Never cached [[reply:again]]');
    const answers = [
      await postJson(`${harness.url}/v1/messages`, body),
      await postJson(`${harness.url}/v1/messages`, body),
    ];
    expect(answers.map((answer) => answer.headers.get('x-kiro-dock-cache'))).toEqual([null, null]);
    expect(upstreamCalls(harness)).toBe(2);
    expect(harness.core.responseCache.stats()).toMatchObject({ hits: 0, entries: 0 });
  });

  it('counts hits, misses, coalesced requests and the bytes held', () => {
    const stats = proxy.core.responseCache.stats();
    expect(stats.hits).toBeGreaterThanOrEqual(4);
    expect(stats.coalesced).toBeGreaterThanOrEqual(9);
    expect(stats.entries).toBeGreaterThan(0);
    expect(stats.bytes).toBeGreaterThan(0);
  });
});
