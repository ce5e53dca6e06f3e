/**
 * Native reasoning through Kiro Dock (docs/native-reasoning.md), with the official SDKs against the strict
 * emulator: thinking goes as Kiro's reasoning fields to the models whose ListAvailableModels entry advertises
 * them, comes back as signed thinking (and redacted_thinking) blocks, is replayed in Kiro's nested form, and a
 * refused signature is retried once without the replayed reasoning; models without the fields keep prompt tags.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { signReasoning } from '../emulator/reasoningSignature.ts';
import { CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness;
let client: Anthropic;

beforeAll(async () => {
  proxy = await startProxyHarness();
  client = new Anthropic({ baseURL: proxy.url, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await proxy.close();
});

interface SentBody {
  additionalModelRequestFields?: unknown;
  conversationState: {
    currentMessage: { userInputMessage: { content: string } };
    history?: Array<{ assistantResponseMessage?: { reasoningContent?: unknown } }>;
  };
}

function generateCallsSince(start: number) {
  return proxy.emulator.requests
    .slice(start)
    .filter((entry) => entry.operation === 'generateAssistantResponse');
}

function lastBody(): SentBody {
  return generateCallsSince(0).at(-1)!.body as SentBody;
}

const tool = {
  name: 'read_file',
  description: 'Reads a file',
  input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } },
};

describe('native reasoning through Kiro Dock', () => {
  it('sends adaptive thinking as reasoning fields and streams a signed thinking block', async () => {
    const message = await client.messages
      .stream({
        model: 'claude-opus-4-6',
        max_tokens: 4096,
        thinking: { type: 'adaptive' },
        output_config: { effort: 'medium' },
        messages: [{ role: 'user', content: 'Think about it [[reply:Done thinking]]' }],
      } as Anthropic.Messages.MessageStreamParams)
      .finalMessage();
    const body = lastBody();
    expect(body.additionalModelRequestFields).toEqual({
      thinking: { type: 'adaptive' },
      output_config: { effort: 'medium' },
    });
    expect(body.conversationState.currentMessage.userInputMessage.content).not.toContain('<thinking_mode>');
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    const thinking = message.content[0] as Anthropic.Messages.ThinkingBlock;
    expect(thinking.thinking).toBe('Reasoning at medium effort: a short, direct answer fits best.');
    expect(thinking.signature).toBe(signReasoning(thinking.thinking));
    expect(message.content[1]).toMatchObject({ type: 'text', text: 'Done thinking' });
    expect(proxy.emulator.strictRejections()).toEqual([]);
  });

  it('turns enabled + budget into adaptive with the nearest effort', async () => {
    await client.messages.create({
      model: 'claude-opus-4-8',
      max_tokens: 8192,
      thinking: { type: 'enabled', budget_tokens: 3000 },
      messages: [{ role: 'user', content: 'Quick one [[reply:ok]]' }],
    });
    expect(lastBody().additionalModelRequestFields).toEqual({
      thinking: { type: 'adaptive' },
      output_config: { effort: 'low' },
    });
    expect(proxy.emulator.strictRejections()).toEqual([]);
  });

  it('replays signed thinking in Kiro’s nested form across a tool round', async () => {
    const first = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      thinking: { type: 'adaptive' },
      tools: [tool],
      messages: [{ role: 'user', content: 'Read it [[tool:read_file:{"path":"a.txt"}]]' }],
    });
    const toolUse = first.content.find((block) => block.type === 'tool_use')!;
    const thinking = first.content.find((block) => block.type === 'thinking')!;
    expect(thinking).toBeDefined();
    await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      thinking: { type: 'adaptive' },
      tools: [tool],
      messages: [
        { role: 'user', content: 'Read it [[tool:read_file:{"path":"a.txt"}]]' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'file body' }] },
      ],
    });
    const history = lastBody().conversationState.history!;
    const replayed = history.find((entry) => entry.assistantResponseMessage?.reasoningContent);
    expect(replayed?.assistantResponseMessage?.reasoningContent).toEqual({
      reasoningText: { text: thinking.thinking, signature: thinking.signature },
    });
    expect(proxy.emulator.strictRejections()).toEqual([]);
  });

  it('returns redacted reasoning as redacted_thinking and accepts it back', async () => {
    const first = await client.messages.create({
      model: 'claude-opus-4-7',
      max_tokens: 4096,
      thinking: { type: 'adaptive' },
      messages: [{ role: 'user', content: 'Secret [[redacted-thinking]] [[reply:fine]]' }],
    });
    expect(first.content.map((block) => block.type)).toEqual(['redacted_thinking', 'thinking', 'text']);
    const next = await client.messages.create({
      model: 'claude-opus-4-7',
      max_tokens: 4096,
      thinking: { type: 'adaptive' },
      messages: [
        { role: 'user', content: 'Secret' },
        { role: 'assistant', content: [first.content[0]!, first.content[2]!] },
        { role: 'user', content: 'Again [[reply:again]]' },
      ],
    });
    expect(next.content.at(-1)).toMatchObject({ type: 'text', text: 'again' });
    const history = lastBody().conversationState.history!;
    const redacted = (first.content[0] as Anthropic.Messages.RedactedThinkingBlock).data;
    expect(history.some((entry) => JSON.stringify(entry).includes(redacted))).toBe(true);
    expect(proxy.emulator.strictRejections()).toEqual([]);
  });

  it('retries once without replayed reasoning when Kiro refuses its signature', async () => {
    const start = proxy.emulator.requests.length;
    const message = await client.messages
      .stream({
        model: 'claude-opus-4-6',
        max_tokens: 4096,
        thinking: { type: 'adaptive' },
        messages: [
          { role: 'user', content: 'Earlier question' },
          {
            role: 'assistant',
            content: [
              {
                type: 'thinking',
                thinking: 'Signed elsewhere.',
                signature: 'c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ==',
              },
              { type: 'text', text: 'Earlier answer' },
            ],
          },
          { role: 'user', content: 'Go on [[reply:still answered]]' },
        ],
      })
      .finalMessage();
    expect(message.content.at(-1)).toMatchObject({ type: 'text', text: 'still answered' });
    const calls = generateCallsSince(start);
    expect(calls.map((entry) => entry.status)).toEqual([400, 200]);
    expect(calls[0]!.strictRejection).toMatch(/signature does not match/);
    expect(JSON.stringify(calls[1]!.body)).not.toContain('reasoningContent');
    expect(proxy.emulator.strictRejections().map((entry) => entry.strictRejection)).toEqual([
      calls[0]!.strictRejection,
    ]);
  });

  it('keeps prompt tags for a model without native reasoning (claude-sonnet-4.5)', async () => {
    const start = proxy.emulator.requests.length;
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: 'Tags please [[reply:tagged]]' }],
    });
    const body = generateCallsSince(start)[0]!.body as SentBody;
    expect(body.additionalModelRequestFields).toBeUndefined();
    expect(JSON.stringify(body)).toContain('<thinking_mode>enabled</thinking_mode>');
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
  });

  it('sends thinking once more as prompt tags when Kiro refuses the fields for the model', async () => {
    const start = proxy.emulator.requests.length;
    proxy.emulator.setFault({ kind: '400-reasoning-fields', times: 1 });
    const message = await client.messages.create({
      model: 'claude-opus-4-6',
      max_tokens: 4096,
      thinking: { type: 'adaptive' },
      messages: [{ role: 'user', content: 'Refused fields [[reply:tagged after all]]' }],
    });
    const [refused, retried] = generateCallsSince(start).map((entry) => entry.body as SentBody);
    expect(generateCallsSince(start)).toHaveLength(2);
    expect(refused!.additionalModelRequestFields).toBeDefined();
    expect(retried!.additionalModelRequestFields).toBeUndefined();
    expect(JSON.stringify(retried)).toContain('<thinking_mode>');
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(message.content[1]).toMatchObject({ type: 'text', text: 'tagged after all' });
  });

  it('maps OpenAI reasoning_effort and Responses reasoning to the same fields', async () => {
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    const completion = await openai.chat.completions.create({
      model: 'claude-opus-4-6',
      reasoning_effort: 'low',
      messages: [{ role: 'user', content: 'Chat [[reply:chatted]]' }],
    });
    expect(lastBody().additionalModelRequestFields).toEqual({
      thinking: { type: 'adaptive' },
      output_config: { effort: 'low' },
    });
    expect(completion.choices[0]!.message.content).toBe('chatted');
    expect((completion.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toContain(
      'Reasoning at low effort',
    );
    const response = await openai.responses.create({
      model: 'claude-opus-4-6',
      reasoning: { effort: 'high' },
      input: 'Respond [[reply:responded]]',
    });
    expect(lastBody().additionalModelRequestFields).toEqual({
      thinking: { type: 'adaptive' },
      output_config: { effort: 'high' },
    });
    const reasoning = response.output.find((item) => item.type === 'reasoning');
    expect(reasoning?.encrypted_content).toBe(
      signReasoning('Reasoning at high effort: a short, direct answer fits best.'),
    );
    expect(response.output_text).toBe('responded');
    expect(proxy.emulator.strictRejections().length).toBe(1);
  });
});

describe('native reasoning on the runtime host', () => {
  it('sends thinking as prompt tags, never the fields that host refuses', async () => {
    const runtime = await startProxyHarness({ settings: createMemorySettingsStore({ chatHost: 'runtime' }) });
    try {
      const runtimeClient = new Anthropic({ baseURL: runtime.url, apiKey: CLIENT_KEY, maxRetries: 0 });
      const message = await runtimeClient.messages.create({
        model: 'claude-opus-4-6',
        max_tokens: 4096,
        thinking: { type: 'adaptive' },
        messages: [{ role: 'user', content: 'On runtime [[reply:from runtime]]' }],
      });
      const calls = runtime.emulator.requests.filter(
        (entry) => entry.operation === 'generateAssistantResponse',
      );
      expect(calls.map((entry) => entry.host)).toEqual(['runtime']);
      const body = calls[0]!.body as SentBody;
      expect(body.additionalModelRequestFields).toBeUndefined();
      expect(JSON.stringify(body)).toContain('<thinking_mode>');
      expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
      expect(runtime.emulator.strictRejections()).toEqual([]);
    } finally {
      await runtime.close();
    }
  });
});
