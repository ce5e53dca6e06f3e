import { describe, expect, it } from 'vitest';
import { compactTurn } from '../../electron/core/cache/responseCache.ts';
import type { TurnEvent } from '../../electron/core/translate/turnEvents.ts';

describe('compactTurn', () => {
  it('joins adjacent deltas of one kind and keeps everything else in order', () => {
    const end: TurnEvent = {
      type: 'end',
      stopReason: 'tool_use',
      usage: { inputTokens: 5, outputTokens: 7 },
    };
    const events: TurnEvent[] = [
      { type: 'thinking_delta', text: 'a' },
      { type: 'thinking_delta', text: 'b' },
      { type: 'text_delta', text: 'Hel' },
      { type: 'text_delta', text: 'lo' },
      { type: 'tool_start', id: 't1', name: 'x' },
      { type: 'tool_input_delta', id: 't1', partialJson: '{"a"' },
      { type: 'tool_input_delta', id: 't1', partialJson: ':1}' },
      { type: 'tool_stop', id: 't1' },
      { type: 'tool_start', id: 't2', name: 'x' },
      { type: 'tool_input_delta', id: 't2', partialJson: '{}' },
      { type: 'tool_stop', id: 't2' },
      end,
    ];
    expect(compactTurn(events)).toEqual([
      { type: 'thinking_delta', text: 'ab' },
      { type: 'text_delta', text: 'Hello' },
      { type: 'tool_start', id: 't1', name: 'x' },
      { type: 'tool_input_delta', id: 't1', partialJson: '{"a":1}' },
      { type: 'tool_stop', id: 't1' },
      { type: 'tool_start', id: 't2', name: 'x' },
      { type: 'tool_input_delta', id: 't2', partialJson: '{}' },
      { type: 'tool_stop', id: 't2' },
      end,
    ]);
  });
});
