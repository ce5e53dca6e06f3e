import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecentRequestsResponse } from '../../shared/adminApi.ts';
import { SETTING_CAPTURE_PROMPTS } from '../../electron/core/index.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { adminRequest } from './adminHttp.ts';
import { CLIENT_KEY, parseSse, postJson, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness;
let client: OpenAI;

beforeAll(async () => {
  proxy = await startProxyHarness();
  client = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(async () => {
  expect(proxy.emulator.strictRejections()).toEqual([]);
  await proxy.close();
});

const weatherTool: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};

describe('OpenAI Responses API through Kiro Dock', () => {
  it('answers a response (non-streaming) with usage', async () => {
    const response = await client.responses.create({
      model: 'claude-sonnet-4-5',
      instructions: 'Be brief.',
      input: 'Hello [[reply:Hi from Kiro]]',
      metadata: { purpose: 'test' },
    });
    expect(response.id).toMatch(/^resp_/);
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Hi from Kiro');
    expect(response.output[0]?.type).toBe('message');
    expect(response.metadata).toEqual({ purpose: 'test' });
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
    expect(response.usage?.total_tokens).toBe(
      (response.usage?.input_tokens ?? 0) + (response.usage?.output_tokens ?? 0),
    );
    expect(JSON.stringify(proxy.emulator.requests.at(-1)?.body)).toContain('Be brief.');
  });

  it('streams the full event sequence, numbered, into the same response', async () => {
    const stream = client.responses.stream({
      model: 'claude-sonnet-4-5',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Stream please [[chunks:12]]' }] }],
    });
    const types: string[] = [];
    const numbers: number[] = [];
    stream.on('event', (event) => {
      types.push(event.type);
      numbers.push(event.sequence_number);
    });
    const response = await stream.finalResponse();
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.filter((type) => type === 'response.output_text.delta').length).toBeGreaterThan(5);
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(numbers).toEqual(numbers.map((_, index) => index));
    expect(response.status).toBe('completed');
    expect(response.output_text).toContain('Stream please');
  });

  it('completes a function tool round trip through previous_response_id', async () => {
    const first = await client.responses
      .stream({
        model: 'claude-sonnet-4-5',
        tools: [weatherTool, { type: 'web_search' }],
        input: 'Weather? [[tool:get_weather:{"city":"Paris"}]]',
      })
      .finalResponse();
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call?.type === 'function_call' && call.name).toBe('get_weather');
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toEqual({ city: 'Paris' });

    const second = await client.responses.create({
      model: 'claude-sonnet-4-5',
      previous_response_id: first.id,
      tools: [weatherTool],
      input: [
        { type: 'function_call_output', call_id: (call as { call_id: string }).call_id, output: '18°C' },
      ],
    });
    expect(second.output_text).toBe('Tool results received: 18°C');
    expect(second.previous_response_id).toBe(first.id);
    const sent = JSON.stringify(proxy.emulator.requests.at(-1)?.body);
    expect(sent).toContain('Weather?');
  });

  it('maps reasoning.effort to thinking and answers with a reasoning item', async () => {
    const response = await client.responses.create({
      model: 'claude-sonnet-4-5',
      reasoning: { effort: 'medium' },
      input: 'Think first [[reply:Done thinking]]',
    });
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    const reasoning = response.output[0] as OpenAI.Responses.ResponseReasoningItem;
    expect(reasoning.summary[0]?.text).toContain('Reading the request');
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(response.output_text).toBe('Done thinking');
  });

  it('flattens namespace tools and names calls back with their namespace', async () => {
    const namespaceTool = {
      type: 'namespace',
      name: 'multi_agent_v1',
      description: 'Sub-agents',
      tools: [{ ...weatherTool, name: 'close_agent' }],
    } as unknown as OpenAI.Responses.Tool;
    const response = await client.responses.create({
      model: 'claude-sonnet-4-5',
      tools: [namespaceTool],
      input: 'Close it [[tool:multi_agent_v1__close_agent:{"city":"x"}]]',
    });
    const call = response.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'close_agent', namespace: 'multi_agent_v1' });
  });

  it('answers an unknown previous_response_id with previous_response_not_found', async () => {
    const error = await client.responses
      .create({ model: 'claude-sonnet-4-5', previous_response_id: 'resp_gone', input: 'hi' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.code).toBe('previous_response_not_found');
    expect(apiError.param).toBe('previous_response_id');

    // A response created with store: false is not kept, so it cannot be continued either.
    const unstored = await client.responses.create({ model: 'claude-sonnet-4-5', store: false, input: 'hi' });
    const followUp = await postJson(`${proxy.url}/v1/responses`, {
      model: 'claude-sonnet-4-5',
      previous_response_id: unstored.id,
      input: 'again',
    });
    expect(followUp.status).toBe(400);
    expect(followUp.json()).toMatchObject({ error: { code: 'previous_response_not_found' } });
  });

  it('refuses bad input with a 400 in the OpenAI shape', async () => {
    const answer = await postJson(`${proxy.url}/v1/responses`, {
      model: 'claude-sonnet-4-5',
      input: [{ type: 'file_search_call', id: 'x' }],
    });
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ error: { type: 'invalid_request_error', code: null } });
    const undeclared = await postJson(`${proxy.url}/v1/responses`, {
      model: 'claude-sonnet-4-5',
      tools: [weatherTool],
      tool_choice: { type: 'function', name: 'get_time' },
      input: 'hi',
    });
    expect(undeclared.status).toBe(400);
    expect((undeclared.json() as { error: { message: string } }).error.message).toMatch(/get_time/);
    const missing = await postJson(`${proxy.url}/v1/responses`, { model: 'claude-sonnet-4-5' });
    expect(missing.status).toBe(400);
    expect((missing.json() as { error: { message: string } }).error.message).toMatch(/input/);
  });

  it('answers every malformed field with a 400 in the OpenAI shape, never a 5xx', async () => {
    const invalid: Record<string, unknown[]> = {
      model: [1, null, ''],
      input: [5, null, [], [{}], [{ role: 'robot', content: 'x' }], [{ role: 'user', content: 5 }]],
      max_output_tokens: [-1, 0, 1e10, 'a', 2.5],
      tools: ['x', [{ type: 5 }], [{ type: 'function', name: '' }], [{ type: 'namespace', name: 'n' }]],
      tool_choice: [5, 'sometimes', { type: 'function', name: 'nope' }],
      reasoning: ['high', { effort: 5 }],
      previous_response_id: [5, ''],
      metadata: ['x', { key: 5 }],
      stream: ['y', 2],
    };
    for (const [field, values] of Object.entries(invalid)) {
      for (const value of values) {
        const answer = await postJson(`${proxy.url}/v1/responses`, {
          model: 'claude-sonnet-4-5',
          input: 'hi',
          [field]: value,
        });
        expect(answer.status, `${field}: ${JSON.stringify(value)}`).toBe(400);
        expect(answer.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
      }
    }
  });

  it('ends a stream that fails midway with error and response.failed', async () => {
    const answer = await postJson(`${proxy.url}/v1/responses`, {
      model: 'claude-sonnet-4-5',
      stream: true,
      input: 'Break [[chunks:8]] [[fault:exception]]',
    });
    const events = parseSse(answer.text);
    expect(events.at(-2)?.event).toBe('error');
    expect(events.at(-1)).toMatchObject({
      event: 'response.failed',
      data: { response: { status: 'failed', error: { code: 'server_error' } } },
    });
  });
});

describe('Responses requests in the requests log', () => {
  it('records the route, model, stream flag and (with capture on) the last user prompt', async () => {
    const logged = await startProxyHarness({
      settings: createMemorySettingsStore({ [SETTING_CAPTURE_PROMPTS]: true }),
    });
    try {
      const sdk = new OpenAI({ baseURL: `${logged.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
      await sdk.responses
        .stream({
          model: 'claude-sonnet-4-5',
          input: [
            { role: 'developer', content: 'be brief' },
            { role: 'user', content: [{ type: 'input_text', text: 'logged question [[reply:ok]]' }] },
          ],
        })
        .finalResponse();
      const answer = await adminRequest(logged.url, 'GET', '/admin/requests');
      const { requests } = answer.json<RecentRequestsResponse>();
      expect(requests[0]).toMatchObject({
        route: '/v1/responses',
        model: 'claude-sonnet-4-5',
        status: 200,
        stream: true,
        prompt: 'logged question [[reply:ok]]',
      });
    } finally {
      await logged.close();
    }
  });
});
