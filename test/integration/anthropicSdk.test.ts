import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness;
let client: Anthropic;

beforeAll(async () => {
  proxy = await startProxyHarness();
  client = new Anthropic({ baseURL: proxy.url, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(async () => {
  expect(proxy.emulator.strictRejections()).toEqual([]);
  await proxy.close();
});

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('Anthropic SDK through Kiro Dock', () => {
  it('answers a plain message (non-streaming)', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hello [[reply:Hi from Kiro, naïve café 漢字 🎉]]' }],
    });
    expect(message.content).toHaveLength(1);
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hi from Kiro, naïve café 漢字 🎉' });
    expect(message.stop_reason).toBe('end_turn');
    expect(message.model).toBe('claude-sonnet-4-5');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(proxy.emulator.requests.at(-1)?.body).toMatchObject({
      conversationState: { currentMessage: { userInputMessage: { modelId: 'claude-sonnet-4.5' } } },
    });
  });

  it('streams text as many deltas that add up to the answer', async () => {
    const deltas: string[] = [];
    const stream = client.messages
      .stream({
        model: 'claude-opus-4-5',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'Tell me something [[chunks:30]]' }],
      })
      .on('text', (text) => deltas.push(text));
    const message = await stream.finalMessage();
    expect(deltas.length).toBeGreaterThan(10);
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(deltas.join('')).toBe(text);
    expect(text).toContain('Tell me something');
    expect(message.stop_reason).toBe('end_turn');
  });

  it('completes a tool round trip with streamed tool input', async () => {
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Weather? [[tool:get_weather:{"city":"Paris"}]]' }],
    });
    const partialJson: string[] = [];
    stream.on('inputJson', (partial) => partialJson.push(partial));
    const first = await stream.finalMessage();
    const toolUse = first.content.find((block) => block.type === 'tool_use');
    expect(toolUse).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } });
    expect(partialJson.length).toBeGreaterThanOrEqual(3);
    expect(first.stop_reason).toBe('tool_use');

    const second = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather? [[tool:get_weather:{"city":"Paris"}]]' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: (toolUse as { id: string }).id, content: '18°C and sunny' },
          ],
        },
      ],
    });
    expect(second.content[0]).toMatchObject({ type: 'text', text: 'Tool results received: 18°C and sunny' });
  });

  it('returns parallel tool calls in one turn', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [weatherTool],
      messages: [
        {
          role: 'user',
          content: 'Both [[tool:get_weather:{"city":"Paris"}]] [[tool:get_weather:{"city":"Oslo"}]]',
        },
      ],
    });
    const inputs = message.content.filter((block) => block.type === 'tool_use').map((block) => block.input);
    expect(inputs).toEqual([{ city: 'Paris' }, { city: 'Oslo' }]);
    const ids = message.content.flatMap((block) => (block.type === 'tool_use' ? [block.id] : []));
    expect(new Set(ids).size).toBe(2);
  });

  it('splits thinking into thinking blocks when thinking is enabled', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: 'Think first [[reply:The answer is 42.]]' }],
    });
    expect(message.content[0]?.type).toBe('thinking');
    expect((message.content[0] as { thinking: string }).thinking.length).toBeGreaterThan(0);
    expect(message.content.at(-1)).toMatchObject({ type: 'text', text: 'The answer is 42.' });
    const sent = JSON.stringify(proxy.emulator.requests.at(-1)?.body);
    expect(sent).toContain('<thinking_mode>enabled</thinking_mode>');
  });

  it('passes images to Kiro with the format the bytes really have', async () => {
    // A 1×1 PNG, declared as JPEG: Kiro rejects mismatches, so Kiro Dock must send "png".
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: png } },
            { type: 'text', text: 'What is this?' },
          ],
        },
      ],
    });
    expect(message.content[0]?.type).toBe('text');
    const sent = proxy.emulator.requests.at(-1)?.body as {
      conversationState: { currentMessage: { userInputMessage: { images?: Array<{ format: string }> } } };
    };
    expect(sent.conversationState.currentMessage.userInputMessage.images).toEqual([
      { format: 'png', source: { bytes: png } },
    ]);
  });

  it('carries a 200-message history that Kiro accepts', async () => {
    const messages: Anthropic.MessageParam[] = [];
    for (let i = 0; i < 100; i++) {
      messages.push({ role: 'user', content: `question ${i}` });
      messages.push({ role: 'assistant', content: `answer ${i}` });
    }
    messages.push({ role: 'user', content: 'and finally [[reply:done]]' });
    const message = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 256, messages });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'done' });
    const history = (proxy.emulator.requests.at(-1)?.body as { conversationState: { history: unknown[] } })
      .conversationState.history;
    expect(history).toHaveLength(200);
  });

  it('counts tokens', async () => {
    const small = await client.messages.countTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const large = await client.messages.countTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hello world '.repeat(1000) }],
    });
    expect(small.input_tokens).toBeGreaterThan(0);
    expect(large.input_tokens).toBeGreaterThan(2000);
    expect(large.input_tokens).toBeLessThan(6000);
  });

  it('lists models', async () => {
    const page = await client.models.list();
    const ids = page.data.map((model) => model.id);
    expect(ids).toContain('claude-sonnet-4-5');
    expect(ids).toContain('claude-opus-4-8');
  });

  it('maps model ids newer than any table to the newest of their family', async () => {
    await client.messages.create({
      model: 'claude-opus-5-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(proxy.emulator.requests.at(-1)?.body).toMatchObject({
      conversationState: { currentMessage: { userInputMessage: { modelId: 'claude-opus-4.8' } } },
    });
  });
});
