/**
 * The response cache with `includeToolsAndSampling` on, through the official SDKs against the emulator: a
 * replayed or shared tool call carries an id of its own — the same in every event of its stream and in its JSON —
 * and switching the opt-in off forgets what was kept under it.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRequest } from './adminHttp.ts';
import { CLIENT_KEY, parseSse, postJson, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness;

beforeAll(async () => {
  proxy = await startProxyHarness({ responseCache: { enabled: true, includeToolsAndSampling: true } });
});
afterAll(async () => {
  expect(proxy.emulator.strictRejections()).toEqual([]);
  await proxy.close();
});

function upstreamCalls(): number {
  return proxy.emulator.requests.filter((entry) => entry.operation === 'generateAssistantResponse').length;
}

const SESSION = { 'x-claude-code-session-id': 'session-opt-in' };
const anthropic = () =>
  new Anthropic({ baseURL: proxy.url, apiKey: CLIENT_KEY, maxRetries: 0, defaultHeaders: SESSION });

/** No temperature (the API default of 1) and a tool: cached only because the user opted in. */
function weatherRequest(city: string, directives = '') {
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 512,
    messages: [
      { role: 'user' as const, content: `Weather? [[tool:get_weather:{"city":"${city}"}]] ${directives}` },
    ],
    tools: [
      {
        name: 'get_weather',
        input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
      },
    ],
  };
}

function toolUseOf(message: Anthropic.Message): Anthropic.ToolUseBlock {
  const block = message.content.find((content) => content.type === 'tool_use');
  if (block?.type !== 'tool_use') throw new Error('no tool_use block');
  return block;
}

/** Every tool id an Anthropic SSE stream names, in order (content_block_start is the only event carrying one). */
function streamedToolIds(text: string): string[] {
  return parseSse(text)
    .map(({ data }) => (data as { content_block?: { type: string; id?: string } }).content_block)
    .filter((block) => block?.type === 'tool_use')
    .map((block) => block!.id!);
}

describe('the response cache with tools and sampling included', () => {
  it('replays an Anthropic tool call under a new toolu_ id, in JSON and in a stream', async () => {
    const client = anthropic();
    const before = upstreamCalls();
    const first = await client.messages.create(weatherRequest('Oslo'));
    const streamed = await client.messages.stream(weatherRequest('Oslo')).finalMessage();
    const replayed = await client.messages.create(weatherRequest('Oslo')).withResponse();
    const raw = await postJson(
      `${proxy.url}/v1/messages`,
      { ...weatherRequest('Oslo'), stream: true },
      { 'x-api-key': CLIENT_KEY, ...SESSION },
    );

    expect(upstreamCalls() - before).toBe(1);
    expect(replayed.response.headers.get('x-kiro-dock-cache')).toBe('hit');
    const calls = [first, streamed, replayed.data].map(toolUseOf);
    for (const call of calls) expect(call).toMatchObject({ name: 'get_weather', input: { city: 'Oslo' } });
    const [rawId, ...others] = streamedToolIds(raw.text);
    expect(others).toEqual([]);
    const ids = [...calls.map((call) => call.id), rawId];
    expect(new Set(ids).size).toBe(4);
    for (const id of ids.slice(1)) expect(id).toMatch(/^toolu_[0-9a-f]{24}$/);
    const messageIds = [first, streamed, replayed.data].map((message) => message.id);
    expect(new Set(messageIds).size).toBe(3);
  });

  it('replays an OpenAI tool call under a new call_ id, in JSON and in a stream', async () => {
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    const params = {
      model: 'claude-sonnet-4-5',
      user: 'alice',
      messages: [{ role: 'user' as const, content: 'Weather? [[tool:get_weather:{"city":"Bergen"}]]' }],
      tools: [
        {
          type: 'function' as const,
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
    };
    const before = upstreamCalls();
    const first = (await openai.chat.completions.create(params)).choices[0]?.message.tool_calls?.[0];
    const stream = await openai.chat.completions.create({ ...params, stream: true });
    const streamedIds: string[] = [];
    let streamedArguments = '';
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (call.id) streamedIds.push(call.id);
        streamedArguments += call.function?.arguments ?? '';
      }
    }
    const replayed = (await openai.chat.completions.create(params)).choices[0]?.message.tool_calls?.[0];

    expect(upstreamCalls() - before).toBe(1);
    expect(first?.type === 'function' && JSON.parse(first.function.arguments)).toEqual({ city: 'Bergen' });
    expect(JSON.parse(streamedArguments)).toEqual({ city: 'Bergen' });
    expect(streamedIds).toHaveLength(1);
    const ids = [first?.id, streamedIds[0], replayed?.id];
    expect(new Set(ids).size).toBe(3);
    for (const id of ids.slice(1)) expect(id).toMatch(/^call_[0-9a-f]{24}$/);
  });

  it('gives every request sharing one upstream tool call an id of its own', async () => {
    const before = upstreamCalls();
    const body = { ...weatherRequest('Tromsø', '[[chunks:6]] [[delay:20]]'), stream: true };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        postJson(`${proxy.url}/v1/messages`, body, { 'x-api-key': CLIENT_KEY, ...SESSION }),
      ),
    );
    expect(upstreamCalls() - before).toBe(1);
    expect(answers.map((answer) => answer.headers.get('x-kiro-dock-cache')).sort()).toEqual([
      'coalesced',
      'coalesced',
      'coalesced',
      'coalesced',
      'miss',
    ]);
    const ids = answers.map((answer) => streamedToolIds(answer.text));
    for (const streamIds of ids) expect(streamIds).toHaveLength(1);
    expect(new Set(ids.flat()).size).toBe(5);
  });

  it('forgets the answers kept under the opt-in when the dashboard switches it off, and bypasses tools again', async () => {
    await anthropic().messages.create(weatherRequest('Narvik'));
    expect(proxy.core.responseCache.stats().entries).toBeGreaterThan(0);
    const refused = await adminRequest(proxy.url, 'PATCH', '/admin/settings', {
      body: { responseCache: { includeToolsAndSampling: 'no' } },
    });
    expect(refused.status).toBe(400);
    const patched = await adminRequest(proxy.url, 'PATCH', '/admin/settings', {
      body: { responseCache: { includeToolsAndSampling: false } },
    });
    expect(patched.json()).toMatchObject({
      settings: { responseCache: { enabled: true, includeToolsAndSampling: false } },
    });
    expect(proxy.core.responseCache.stats().entries).toBe(0);
    const before = upstreamCalls();
    const again = await anthropic().messages.create(weatherRequest('Narvik')).withResponse();
    expect(again.response.headers.get('x-kiro-dock-cache')).toBe('bypass');
    expect(upstreamCalls() - before).toBe(1);
  });
});
