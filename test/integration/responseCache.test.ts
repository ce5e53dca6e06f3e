/**
 * The response cache through the official SDKs against the emulator: off by default; when on, an answer is
 * replayed only to the session (or the session-less client) that got it, requests with tools or sampled above
 * temperature 0 go to Kiro, and identical requests in flight share a call only within one session. Upstream
 * calls are counted in the emulator's own request log.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createShiftedClock } from '../support/shiftedClock.ts';
import { DEFAULT_RESPONSE_CACHE_SETTINGS } from '../../electron/core/cache/responseCache.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { CLIENT_KEY, parseSse, postJson, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

const clock = createShiftedClock();
let proxy: ProxyHarness;
/** Names no session: shares answers only with other requests that name none. */
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

/** A Claude Code session: its session id header on every request. */
function sessionClient(sessionId: string): Anthropic {
  const defaultHeaders = { 'x-claude-code-session-id': sessionId };
  return new Anthropic({ baseURL: proxy.url, apiKey: CLIENT_KEY, maxRetries: 0, defaultHeaders });
}

/** Temperature 0 and no tools: what the cache answers by default. */
function request(content: string) {
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 512,
    temperature: 0,
    messages: [{ role: 'user' as const, content }],
  };
}

function streamed(content: string) {
  return { ...request(content), stream: true };
}

const sessionHeaders = (sessionId: string) => ({
  'x-api-key': CLIENT_KEY,
  'x-claude-code-session-id': sessionId,
});

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

const weatherTool = {
  name: 'get_weather',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
};

describe('the response cache, by default', () => {
  it('is off: two identical requests are two upstream calls, and no answer says it was cached', async () => {
    const harness = await startProxyHarness({ core: { responseCache: undefined } });
    opened.push(harness);
    expect(harness.core.responseCache.settings()).toEqual(DEFAULT_RESPONSE_CACHE_SETTINGS);
    expect(DEFAULT_RESPONSE_CACHE_SETTINGS).toMatchObject({ enabled: false, includeToolsAndSampling: false });
    const sdk = new Anthropic({ baseURL: harness.url, apiKey: CLIENT_KEY, maxRetries: 0 });
    const params = request('Default off [[reply:asked twice]]');
    const answers = [await sdk.messages.create(params), await sdk.messages.create(params)];
    expect(answers.map((answer) => answer.content[0])).toEqual([
      expect.objectContaining({ text: 'asked twice' }),
      expect.objectContaining({ text: 'asked twice' }),
    ]);
    const raw = await postJson(`${harness.url}/v1/messages`, params);
    expect(raw.headers.get('x-kiro-dock-cache')).toBeNull();
    expect(upstreamCalls(harness)).toBe(3);
  });
});

describe('the response cache, when on', () => {
  it('replays an answer to the same session, streamed as a proper SSE stream', async () => {
    const session = sessionClient('session-replay');
    const question = 'Cache me [[reply:A cached answer]] [[usage]]';
    const before = upstreamCalls();
    const first = await session.messages.create(request(question));
    const second = await session.messages.stream(request(question)).finalMessage();

    expect(upstreamCalls() - before).toBe(1);
    expect(second.content).toEqual(first.content);
    expect(second.content[0]).toMatchObject({ type: 'text', text: 'A cached answer' });
    expect(second.stop_reason).toBe(first.stop_reason);
    expect(second.usage.input_tokens).toBe(first.usage.input_tokens);
    expect(second.usage.output_tokens).toBe(first.usage.output_tokens);
    expect(second.id).not.toBe(first.id);

    const raw = await postJson(
      `${proxy.url}/v1/messages`,
      streamed(question),
      sessionHeaders('session-replay'),
    );
    expect(raw.headers.get('x-kiro-dock-cache')).toBe('hit');
    expect(raw.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(raw.text);
    expect(events[0]?.event).toBe('message_start');
    expect(events.at(-1)?.event).toBe('message_stop');
    expect(streamedText(events)).toBe('A cached answer');
    expect(upstreamCalls() - before).toBe(1);
  });

  it('never replays one session’s answer to another session, nor to a request naming no session', async () => {
    const question = request('Whose answer? [[reply:mine]]');
    const before = upstreamCalls();
    const results = [];
    for (const headers of [
      sessionHeaders('session-a'),
      sessionHeaders('session-b'),
      { 'x-api-key': CLIENT_KEY },
      sessionHeaders('session-a'),
      { 'x-api-key': CLIENT_KEY },
    ]) {
      const answer = await postJson(`${proxy.url}/v1/messages`, question, headers);
      expect(answer.status).toBe(200);
      results.push(answer.headers.get('x-kiro-dock-cache'));
    }
    expect(results).toEqual(['miss', 'miss', 'miss', 'hit', 'hit']);
    expect(upstreamCalls() - before).toBe(3);
  });

  it('takes metadata.user_id as the session when there is no session header', async () => {
    const asked = (userId: string) =>
      client.messages
        .create({ ...request('Per user [[reply:for you]]'), metadata: { user_id: userId } })
        .withResponse();
    const before = upstreamCalls();
    const results = [];
    for (const userId of ['user-1', 'user-2', 'user-1']) {
      results.push((await asked(userId)).response.headers.get('x-kiro-dock-cache'));
    }
    expect(results).toEqual(['miss', 'miss', 'hit']);
    expect(upstreamCalls() - before).toBe(2);
  });

  it('keeps OpenAI answers within the `user` that asked', async () => {
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    const asked = (user: string) =>
      openai.chat.completions
        .create({
          model: 'claude-sonnet-4-5',
          temperature: 0,
          user,
          messages: [{ role: 'user', content: 'OpenAI scope [[reply:per user]]' }],
        })
        .withResponse();
    const before = upstreamCalls();
    const results = [];
    for (const user of ['alice', 'bob', 'alice']) {
      const { data, response } = await asked(user);
      expect(data.choices[0]?.message.content).toBe('per user');
      results.push(response.headers.get('x-kiro-dock-cache'));
    }
    expect(results).toEqual(['miss', 'miss', 'hit']);
    expect(upstreamCalls() - before).toBe(2);
  });

  it('leaves requests with tools to Kiro: each gets its own tool call', async () => {
    const session = sessionClient('session-tools');
    const params = { ...request('Weather? [[tool:get_weather:{"city":"Oslo"}]]'), tools: [weatherTool] };
    const before = upstreamCalls();
    const answers = [
      await session.messages.create(params).withResponse(),
      await session.messages.create(params).withResponse(),
    ];
    expect(answers.map(({ response }) => response.headers.get('x-kiro-dock-cache'))).toEqual([
      'bypass',
      'bypass',
    ]);
    const ids = answers.map(({ data }) => data.content.find((block) => block.type === 'tool_use')?.id);
    expect(ids[0]).toEqual(expect.any(String));
    expect(ids[1]).not.toBe(ids[0]);
    expect(upstreamCalls() - before).toBe(2);
  });

  it('leaves sampled requests to Kiro: a temperature above 0, or none (the API default of 1)', async () => {
    const session = sessionClient('session-sampling');
    const before = upstreamCalls();
    const results = [];
    for (const temperature of [0.7, 0.7, undefined, undefined]) {
      const params = { ...request('Sample me [[reply:a draw]]'), temperature };
      results.push(
        (await session.messages.create(params).withResponse()).response.headers.get('x-kiro-dock-cache'),
      );
    }
    expect(results).toEqual(['bypass', 'bypass', 'bypass', 'bypass']);
    expect(upstreamCalls() - before).toBe(4);
  });

  it('sends 10 identical concurrent requests of one session upstream once, each getting the whole stream', async () => {
    const before = upstreamCalls();
    const body = streamed('Share this [[chunks:8]] [[delay:20]] [[reply:one answer for everyone]]');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        postJson(`${proxy.url}/v1/messages`, body, sessionHeaders('session-burst')),
      ),
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

  it('never shares an upstream call between sessions', async () => {
    const before = upstreamCalls();
    const body = streamed('Same words, five sessions [[chunks:6]] [[delay:20]] [[reply:each its own]]');
    const sessions = ['s1', 's2', 's3', 's4', 's5'];
    const answers = await Promise.all(
      sessions.map((sessionId) => postJson(`${proxy.url}/v1/messages`, body, sessionHeaders(sessionId))),
    );
    expect(answers.map((answer) => answer.headers.get('x-kiro-dock-cache'))).toEqual(
      sessions.map(() => 'miss'),
    );
    expect(answers.map((answer) => streamedText(parseSse(answer.text)))).toEqual(
      sessions.map(() => 'each its own'),
    );
    expect(upstreamCalls() - before).toBe(sessions.length);
  });

  it('gives followers of a failed call the error in their own dialect, and caches nothing', async () => {
    const content = 'Doomed [[delay:20]] [[chunks:4]] [[fault:400-too-long]]';
    const before = upstreamCalls();
    const [anthropic, openai] = await Promise.all([
      postJson(`${proxy.url}/v1/messages`, request(content)),
      postJson(`${proxy.url}/v1/chat/completions`, {
        model: 'claude-sonnet-4-5',
        max_tokens: 512,
        temperature: 0,
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
    const cut = await postJson(`${proxy.url}/v1/messages`, streamed(content));
    expect(parseSse(cut.text).some((event) => event.event === 'error')).toBe(true);
    const retried = await postJson(`${proxy.url}/v1/messages`, streamed(content));
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
    expect(stats.hits).toBeGreaterThanOrEqual(6);
    expect(stats.coalesced).toBeGreaterThanOrEqual(9);
    expect(stats.entries).toBeGreaterThan(0);
    expect(stats.bytes).toBeGreaterThan(0);
  });
});
