import { describe, expect, it } from 'vitest';
import { createOpenAIChunkWriter } from '../../electron/core/translate/openaiChunks.ts';
import type { StopReason, TurnEvent } from '../../electron/core/translate/turnEvents.ts';

const OPTIONS = { id: 'chatcmpl-1', model: 'm', created: 1_700_000_000, includeUsage: true };

function parseData(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      expect(block.startsWith('data: ')).toBe(true);
      return JSON.parse(block.slice('data: '.length)) as Record<string, unknown>;
    });
}

function deltas(chunks: Record<string, unknown>[]): unknown[] {
  return chunks.map((chunk) => (chunk.choices as { delta: unknown }[])[0]?.delta);
}

const end = (stopReason: StopReason): TurnEvent => ({
  type: 'end',
  stopReason,
  usage: { inputTokens: 10, outputTokens: 4, cacheReadInputTokens: 100, cacheCreationInputTokens: 20 },
});

describe('OpenAI chunk writer', () => {
  it('sends the role first, once, and nothing for empty text', () => {
    const writer = createOpenAIChunkWriter(OPTIONS);
    expect(writer.write({ type: 'text_delta', text: '' })).toBe('');
    const chunks = parseData(
      writer.write({ type: 'text_delta', text: 'Hi' }) + writer.write({ type: 'text_delta', text: '!' }),
    );
    expect(deltas(chunks)).toEqual([{ role: 'assistant', content: '' }, { content: 'Hi' }, { content: '!' }]);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({
        id: 'chatcmpl-1',
        object: 'chat.completion.chunk',
        created: 1_700_000_000,
        model: 'm',
      });
    }
  });

  it('streams thinking as reasoning_content and numbers tool calls in order', () => {
    const writer = createOpenAIChunkWriter(OPTIONS);
    const events: TurnEvent[] = [
      { type: 'thinking_delta', text: 'hmm' },
      { type: 'thinking_signature', signature: 'sig' },
      { type: 'tool_start', id: 'a', name: 'Read' },
      { type: 'tool_input_delta', id: 'a', partialJson: '{"p":1}' },
      { type: 'tool_stop', id: 'a' },
      { type: 'tool_start', id: 'b', name: 'Grep' },
      { type: 'tool_input_delta', id: 'b', partialJson: '{}' },
      { type: 'tool_stop', id: 'b' },
    ];
    expect(deltas(parseData(events.map((event) => writer.write(event)).join('')))).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'hmm' },
      { tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'Read', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"p":1}' } }] },
      { tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'Grep', arguments: '' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
    ]);
  });

  it.each([
    ['end_turn', 'stop'],
    ['tool_use', 'tool_calls'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
  ] as const)('maps stop reason %s to finish_reason %s', (stopReason, finishReason) => {
    const writer = createOpenAIChunkWriter({ ...OPTIONS, includeUsage: false });
    writer.write({ type: 'text_delta', text: 'x' });
    const chunks = parseData(writer.write(end(stopReason)));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.choices).toEqual([{ index: 0, delta: {}, finish_reason: finishReason }]);
  });

  it('ends with a usage chunk without choices when usage was asked for', () => {
    const writer = createOpenAIChunkWriter(OPTIONS);
    writer.write({ type: 'text_delta', text: 'x' });
    const [, usage] = parseData(writer.write(end('end_turn')));
    expect(usage).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'm',
      choices: [],
      usage: {
        prompt_tokens: 130,
        completion_tokens: 4,
        total_tokens: 134,
        prompt_tokens_details: { cached_tokens: 100 },
      },
    });
  });

  it('renders errors and the terminator', () => {
    const writer = createOpenAIChunkWriter(OPTIONS);
    expect(writer.error({ type: 'api_error', message: 'Kiro failed' })).toBe(
      'data: {"error":{"message":"Kiro failed","type":"api_error","code":null}}\n\n',
    );
    expect(writer.done()).toBe('data: [DONE]\n\n');
  });
});
