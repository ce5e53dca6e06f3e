import http from 'node:http';
import { once } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeEventStream, type DecodedFrame } from '../emulator/decodeEventStream.ts';
import { EMULATOR_MODEL_IDS, startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { kiroRequestBody, toolSpecification } from '../emulator/kiroRequestBody.ts';
import { rawRequest, type RawResponse } from '../emulator/rawRequest.ts';
import { DEFAULT_REPLY_SENTENCE } from '../emulator/scenario.ts';

let emulator: KiroEmulator;
let accessToken: string;

beforeAll(async () => {
  emulator = await startKiroEmulator();
  accessToken = emulator.createSocialAccount().accessToken;
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.setOptions({ chunkCount: 24, contextWindow: 200_000, interFrameDelayMs: 0, timeToFirstByteMs: 0 });
});

function ask(body: unknown, path = '/generateAssistantResponse', headers: Record<string, string> = {}) {
  return rawRequest(`${emulator.url}${path}`, {
    body,
    headers: { authorization: `Bearer ${accessToken}`, ...headers },
  });
}

function eventsOf(response: RawResponse): Array<{ type: unknown; payload: Record<string, unknown> }> {
  return decodeEventStream(response.body).map((frame: DecodedFrame) => ({
    type: frame.headers[':event-type'],
    payload: frame.payload as Record<string, unknown>,
  }));
}

function textOf(response: RawResponse): string {
  return eventsOf(response)
    .filter((event) => event.type === 'assistantResponseEvent')
    .map((event) => event.payload['content'])
    .join('');
}

describe('a plain answer', () => {
  it('is an event stream of valid frames: text deltas, then metering and context usage', async () => {
    const body = kiroRequestBody('Please tell me about the weather in Zürich today');
    const response = await ask(body);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.amazon.eventstream');
    const frames = decodeEventStream(response.body);
    for (const frame of frames) {
      expect(frame.headers[':message-type']).toBe('event');
      expect(frame.headers[':content-type']).toBe('application/json');
    }
    const types = frames.map((frame) => frame.headers[':event-type']);
    expect(types).toEqual([
      ...Array(24).fill('assistantResponseEvent'),
      'meteringEvent',
      'contextUsageEvent',
    ]);

    const text = textOf(response);
    expect(text).toContain(DEFAULT_REPLY_SENTENCE);
    expect(text).toContain('Please tell me about the weather in Zürich today');
    expect(text).toMatch(/漢字/);

    const [metering, context] = eventsOf(response).slice(-2);
    expect(metering!.payload).toEqual({ usage: expect.any(Number), unit: 'credit' });
    const requestTokens = Math.ceil(Buffer.byteLength(JSON.stringify(body)) / 4);
    expect(context!.payload['contextUsagePercentage']).toBeCloseTo((requestTokens / 200_000) * 100, 3);
  });

  it('echoes only the last 80 characters of long content', async () => {
    const content = `${'x'.repeat(200)} and the tail that must come back`;
    const text = textOf(await ask(kiroRequestBody(`  ${content}  `)));
    expect(text).toContain(`"${content.slice(-80)}"`);
    expect(text).not.toContain('x'.repeat(81));
  });

  it('answers [[reply:…]] verbatim, in about [[chunks:N]] pieces', async () => {
    const response = await ask(kiroRequestBody('hi [[reply:Exactly this, naïve 🎉 text]] [[chunks:5]]'));
    const texts = eventsOf(response).filter((event) => event.type === 'assistantResponseEvent');
    expect(texts).toHaveLength(5);
    expect(textOf(response)).toBe('Exactly this, naïve 🎉 text');
  });

  it('uses the chunkCount and contextWindow options', async () => {
    emulator.setOptions({ chunkCount: 3, contextWindow: 1000 });
    const body = kiroRequestBody('hi [[reply:three pieces here]]');
    const events = eventsOf(await ask(body));
    expect(events.filter((event) => event.type === 'assistantResponseEvent')).toHaveLength(3);
    const percentage = events.find((event) => event.type === 'contextUsageEvent')!.payload[
      'contextUsagePercentage'
    ];
    expect(percentage).toBeCloseTo((Math.ceil(Buffer.byteLength(JSON.stringify(body)) / 4) / 1000) * 100, 3);
  });

  it('is also served in the awsJson form on / with x-amz-target', async () => {
    const target = 'AmazonCodeWhispererStreamingService.GenerateAssistantResponse';
    const response = await ask(kiroRequestBody('hi [[reply:via awsJson]]'), '/', { 'x-amz-target': target });
    expect(response.status).toBe(200);
    expect(textOf(response)).toBe('via awsJson');
    const other = await ask({}, '/', { 'x-amz-target': 'AmazonCodeWhispererService.SomethingElse' });
    expect(other.status).toBe(400);
    expect(JSON.parse(other.body.toString())).toMatchObject({ __type: 'UnknownOperationException' });
  });
});

describe('tool calls', () => {
  it('streams each [[tool:…]] as start, at least three input fragments and stop, after a short text', async () => {
    const tools = [toolSpecification('get_weather')];
    const content =
      'Both [[tool:get_weather:{"city":"Paris","days":[1,2]}]] [[tool:get_weather:{"city":"Oslo"}]]';
    const events = eventsOf(await ask(kiroRequestBody(content, { tools })));
    expect(events[0]).toMatchObject({ type: 'assistantResponseEvent' });
    const toolEvents = events.filter((event) => event.type === 'toolUseEvent').map((event) => event.payload);
    const ids = [...new Set(toolEvents.map((payload) => payload['toolUseId']))];
    expect(ids).toHaveLength(2);
    const inputs = ids.map((id) => {
      const calls = toolEvents.filter((payload) => payload['toolUseId'] === id);
      expect(id).toMatch(/^tooluse_[A-Za-z0-9_-]+$/);
      expect(calls.every((payload) => payload['name'] === 'get_weather')).toBe(true);
      expect(calls[0]).toEqual({ toolUseId: id, name: 'get_weather', input: '' });
      expect(calls.at(-1)).toEqual({ toolUseId: id, name: 'get_weather', stop: true });
      const fragments = calls.slice(1, -1).map((payload) => payload['input'] as string);
      expect(fragments.length).toBeGreaterThanOrEqual(3);
      return JSON.parse(fragments.join('')) as unknown;
    });
    expect(inputs).toEqual([{ city: 'Paris', days: [1, 2] }, { city: 'Oslo' }]);
    // Calls are sequential, never interleaved.
    const order = toolEvents.map((payload) => payload['toolUseId']);
    expect(order.lastIndexOf(ids[0])).toBeLessThan(order.indexOf(ids[1]));
    expect(events.slice(-2).map((event) => event.type)).toEqual(['meteringEvent', 'contextUsageEvent']);
  });

  it('answers tool results with their texts', async () => {
    const body = kiroRequestBody('Tool results provided. [[tool:get_weather:{"city":"Rome"}]]', {
      tools: [toolSpecification('get_weather')],
      history: [
        { userInputMessage: { content: 'Weather?', modelId: 'claude-sonnet-4.5', origin: 'AI_EDITOR' } },
        {
          assistantResponseMessage: {
            content: ' ',
            toolUses: [
              { toolUseId: 'tooluse_a', name: 'get_weather', input: { city: 'Paris' } },
              { toolUseId: 'tooluse_b', name: 'get_weather', input: { city: 'Oslo' } },
            ],
          },
        },
      ],
      toolResults: [
        { toolUseId: 'tooluse_a', content: [{ text: '18°C and sunny' }], status: 'success' },
        { toolUseId: 'tooluse_b', content: [{ json: { celsius: 4 } }], status: 'success' },
      ],
    });
    const response = await ask(body);
    expect(textOf(response)).toBe('Tool results received: 18°C and sunny\n{"celsius":4}');
    expect(eventsOf(response).some((event) => event.type === 'toolUseEvent')).toBe(false);
  });
});

describe('optional parts of the answer', () => {
  it('[[usage]] with cache directives adds a consistent metadataEvent at the end', async () => {
    const response = await ask(kiroRequestBody('count me [[usage]] [[cache-read:40]] [[cache-write:10]]'));
    const last = eventsOf(response).at(-1)!;
    expect(last.type).toBe('metadataEvent');
    const usage = last.payload['tokenUsage'] as Record<string, number>;
    expect(usage['cacheReadInputTokens']).toBe(40);
    expect(usage['cacheWriteInputTokens']).toBe(10);
    expect(usage['outputTokens']).toBeGreaterThan(0);
    expect(usage['totalTokens']).toBe(usage['uncachedInputTokens']! + 40 + 10 + usage['outputTokens']!);
  });

  it('puts <thinking>…</thinking> before the reply when thinking mode is enabled or adaptive', async () => {
    for (const tag of ['<thinking_mode>enabled</thinking_mode>', '<thinking_mode>adaptive</thinking_mode>']) {
      const text = textOf(await ask(kiroRequestBody(`${tag} why? [[reply:Because.]]`)));
      expect(text).toMatch(/^<thinking>[^<]+<\/thinking>\n\nBecause\.$/);
    }
    expect(textOf(await ask(kiroRequestBody('no thinking [[reply:Plain.]]')))).toBe('Plain.');
  });
});

describe('pacing', () => {
  it('waits [[ttfb:MS]] before the status line and [[delay:MS]] between frames', async () => {
    const started = performance.now();
    const response = await ask(kiroRequestBody('slow [[reply:abc]] [[chunks:3]] [[ttfb:120]] [[delay:40]]'));
    const total = performance.now() - started;
    expect(response.headersAfterMs).toBeGreaterThanOrEqual(115);
    const frames = decodeEventStream(response.body).length;
    expect(frames).toBe(5);
    expect(total).toBeGreaterThanOrEqual(115 + (frames - 1) * 40 - 10);
  });

  it('uses the server-wide timeToFirstByteMs', async () => {
    emulator.setOptions({ timeToFirstByteMs: 100 });
    const response = await ask(kiroRequestBody('hi'));
    expect(response.headersAfterMs).toBeGreaterThanOrEqual(95);
  });
});

describe('other routes', () => {
  it('lists the model catalogue', async () => {
    const response = await ask(undefined, '/ListAvailableModels?origin=AI_EDITOR');
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body.toString()) as {
      models: Array<{ modelId: string }>;
      defaultModel: unknown;
    };
    expect(body.models.map((model) => model.modelId)).toEqual([...EMULATOR_MODEL_IDS]);
    expect(body.models[0]).toMatchObject({ tokenLimits: { maxInputTokens: expect.any(Number) } });
    expect(body.defaultModel).toMatchObject({ modelId: 'auto' });
  });

  it('answers unknown paths with 404 and malformed JSON with 400, and logs both', async () => {
    const missing = await ask({}, '/nothing-here');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toMatchObject({
      message: expect.stringContaining('/nothing-here'),
    });
    const malformed = await ask('{"conversationState": ');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body.toString())).toEqual({
      message: 'Improperly formed request.',
      reason: null,
    });
    expect(emulator.requests.slice(-2)).toMatchObject([
      { method: 'POST', path: '/nothing-here', operation: 'notFound', status: 404 },
      { method: 'POST', path: '/generateAssistantResponse', status: 400, body: undefined },
    ]);
  });

  it('logs the parsed body, headers, account and status of each request', async () => {
    const account = emulator.createSocialAccount();
    const body = kiroRequestBody('log me');
    await rawRequest(`${emulator.url}/generateAssistantResponse?x=1`, {
      body,
      headers: { authorization: `Bearer ${account.accessToken}`, 'x-amzn-kiro-agent-mode': 'vibe' },
    });
    expect(emulator.requests.at(-1)).toMatchObject({
      path: '/generateAssistantResponse',
      query: '?x=1',
      operation: 'generateAssistantResponse',
      headers: { 'x-amzn-kiro-agent-mode': 'vibe' },
      body,
      accountId: account.accountId,
      status: 200,
    });
  });
});

describe('connections', () => {
  it('counts accepted connections and destroys open ones on close', async () => {
    const own = await startKiroEmulator({ interFrameDelayMs: 200 });
    const token = own.createSocialAccount().accessToken;
    const before = own.connectionCount;
    const request = http.request(`${own.url}/generateAssistantResponse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      agent: false,
    });
    request.end(JSON.stringify(kiroRequestBody('a long slow answer')));
    const [response] = (await once(request, 'response')) as [http.IncomingMessage];
    expect(response.statusCode).toBe(200);
    expect(own.connectionCount).toBe(before + 1);
    const broken = new Promise<string>((resolve) => {
      response.once('end', () => resolve('ended'));
      response.once('aborted', () => resolve('aborted'));
      response.once('error', () => resolve('error'));
    });
    response.resume();
    await own.close();
    expect(await broken).not.toBe('ended');
  });
});
