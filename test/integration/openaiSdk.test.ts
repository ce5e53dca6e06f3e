import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

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

const weatherTool: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('OpenAI SDK through Kiro Dock', () => {
  it('answers a chat completion (non-streaming)', async () => {
    const completion = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello [[reply:Hi from Kiro]]' },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content).toBe('Hi from Kiro');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    const sent = JSON.stringify(proxy.emulator.requests.at(-1)?.body);
    expect(sent).toContain('Be brief.');
  });

  it('streams chunks ending in [DONE] with a usage chunk when asked', async () => {
    const stream = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Stream please [[chunks:20]]' }],
    });
    const pieces: string[] = [];
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) pieces.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toContain('Stream please');
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));
  });

  it('streams tool calls as deltas and completes the round trip', async () => {
    const runner = client.chat.completions.stream({
      model: 'claude-sonnet-4-5',
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Weather? [[tool:get_weather:{"city":"Paris"}]]' }],
    });
    const first = await runner.finalChatCompletion();
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type).toBe('function');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });

    const second = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather? [[tool:get_weather:{"city":"Paris"}]]' },
        first.choices[0]!.message as OpenAI.ChatCompletionMessageParam,
        { role: 'tool', tool_call_id: call!.id, content: '18°C' },
      ],
    });
    expect(second.choices[0]?.message.content).toBe('Tool results received: 18°C');
  });

  it('accepts images as data URLs', async () => {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const completion = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toBeTruthy();
    expect(JSON.stringify(proxy.emulator.requests.at(-1)?.body)).toContain(png);
  });

  it('lists models, every one of which Kiro accepts', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('claude-sonnet-4-5');
    for (const model of ids) {
      const completion = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(completion.choices[0]?.message.content, model).toBeTruthy();
    }
  });

  it('reports errors in the OpenAI shape', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toMatch(/gpt-4o/);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).type).toBe('invalid_request_error');
  });
});
