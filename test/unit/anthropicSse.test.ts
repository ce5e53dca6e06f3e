import { describe, expect, it } from 'vitest';
import { createAnthropicSseWriter } from '../../electron/core/translate/anthropicSse.ts';
import type { TurnEvent } from '../../electron/core/translate/turnEvents.ts';

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(text: string): SseEvent[] {
  expect(text.endsWith('\n\n') || text === '').toBe(true);
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const match = /^event: (\S+)\ndata: (.*)$/.exec(block);
      expect(match, block).not.toBeNull();
      const [, event, data] = match as RegExpExecArray;
      const parsed = JSON.parse(data as string) as Record<string, unknown>;
      expect(parsed.type).toBe(event);
      return { event: event as string, data: parsed };
    });
}

const END: TurnEvent = { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 10, outputTokens: 2 } };

function writeAll(events: TurnEvent[]): SseEvent[] {
  const writer = createAnthropicSseWriter({ messageId: 'msg_1', model: 'm', inputTokens: 5 });
  return parseSse(writer.start() + events.map((event) => writer.write(event)).join(''));
}

/** A compact trace: `start:text@0`, `delta:text_delta@0`, `stop@0`, … */
function trace(events: SseEvent[]): string[] {
  return events.map(({ event, data }) => {
    const index = data.index as number;
    if (event === 'content_block_start')
      return `start:${(data.content_block as { type: string }).type}@${index}`;
    if (event === 'content_block_delta') return `delta:${(data.delta as { type: string }).type}@${index}`;
    if (event === 'content_block_stop') return `stop@${index}`;
    return event;
  });
}

describe('Anthropic SSE writer', () => {
  it('starts with message_start carrying the estimated input tokens', () => {
    const [start] = writeAll([]);
    expect(start?.data).toEqual({
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'm',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 5, output_tokens: 0 },
      },
    });
  });

  it('opens a new block whenever the kind changes, with increasing indexes', () => {
    const events = writeAll([
      { type: 'thinking_delta', text: 'a' },
      { type: 'text_delta', text: 'b' },
      { type: 'text_delta', text: 'c' },
      { type: 'tool_start', id: 't1', name: 'Read' },
      { type: 'tool_input_delta', id: 't1', partialJson: '{}' },
      { type: 'tool_stop', id: 't1' },
      { type: 'text_delta', text: 'd' },
      END,
    ]);
    expect(trace(events)).toEqual([
      'message_start',
      'start:thinking@0',
      'delta:thinking_delta@0',
      'stop@0',
      'start:text@1',
      'delta:text_delta@1',
      'delta:text_delta@1',
      'stop@1',
      'start:tool_use@2',
      'delta:input_json_delta@2',
      'stop@2',
      'start:text@3',
      'delta:text_delta@3',
      'stop@3',
      'message_delta',
      'message_stop',
    ]);
    expect(events[8]?.data.content_block).toEqual({ type: 'tool_use', id: 't1', name: 'Read', input: {} });
  });

  it('never opens a block for empty text', () => {
    expect(trace(writeAll([{ type: 'text_delta', text: '' }, END]))).toEqual([
      'message_start',
      'message_delta',
      'message_stop',
    ]);
  });

  it('sends the joined signature once, just before the thinking block stops', () => {
    const events = writeAll([
      { type: 'thinking_delta', text: 'x' },
      { type: 'thinking_signature', signature: 'ab' },
      { type: 'thinking_signature', signature: 'cd' },
      { type: 'text_delta', text: 'y' },
      END,
    ]);
    expect(trace(events).slice(1, 5)).toEqual([
      'start:thinking@0',
      'delta:thinking_delta@0',
      'delta:signature_delta@0',
      'stop@0',
    ]);
    expect(events[3]?.data.delta).toEqual({ type: 'signature_delta', signature: 'abcd' });
  });

  it('reports the final usage in message_delta, cache fields only when known', () => {
    const withCache = writeAll([
      { type: 'text_delta', text: 'x' },
      {
        type: 'end',
        stopReason: 'max_tokens',
        usage: { inputTokens: 7, outputTokens: 3, cacheReadInputTokens: 100, cacheCreationInputTokens: 0 },
      },
    ]);
    expect(withCache.at(-2)?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'max_tokens', stop_sequence: null },
      usage: {
        input_tokens: 7,
        output_tokens: 3,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 0,
      },
    });
    const withoutCache = writeAll([{ type: 'text_delta', text: 'x' }, END]);
    expect(withoutCache.at(-2)?.data.usage).toEqual({ input_tokens: 10, output_tokens: 2 });
  });

  it('renders ping and error events', () => {
    const writer = createAnthropicSseWriter({ messageId: 'msg_1', model: 'm', inputTokens: 5 });
    expect(writer.ping()).toBe('event: ping\ndata: {"type":"ping"}\n\n');
    expect(writer.error({ type: 'overloaded_error', message: 'Kiro failed' })).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Kiro failed"}}\n\n',
    );
  });
});
