import { describe, expect, it } from 'vitest';
import { createToolIdRenewer, withFreshToolIds } from '../../electron/core/cache/freshToolIds.ts';
import type { TurnSink } from '../../electron/core/server/turn/turnSink.ts';
import type { TurnEvent } from '../../electron/core/translate/turnEvents.ts';

const end: TurnEvent = { type: 'end', stopReason: 'tool_use', usage: { inputTokens: 3, outputTokens: 2 } };

function toolCall(id: string): TurnEvent[] {
  return [
    { type: 'tool_start', id, name: 'read' },
    { type: 'tool_input_delta', id, partialJson: '{"path":' },
    { type: 'tool_input_delta', id, partialJson: '"a.ts"}' },
    { type: 'tool_stop', id },
  ];
}

function counter(prefix: string): () => string {
  let next = 0;
  return () => `${prefix}${++next}`;
}

describe('createToolIdRenewer', () => {
  it('gives each tool call one new id across all its events, and leaves everything else alone', () => {
    const renew = createToolIdRenewer(counter('toolu_new'));
    const events: TurnEvent[] = [
      { type: 'text_delta', text: 'Reading.' },
      ...toolCall('a'),
      ...toolCall('b'),
    ];
    const renewed = renew([...events, end]);
    expect(renewed.filter((event) => 'id' in event).map((event) => (event as { id: string }).id)).toEqual([
      ...Array(4).fill('toolu_new1'),
      ...Array(4).fill('toolu_new2'),
    ]);
    expect(renewed[0]).toBe(events[0]);
    expect(renewed.at(-1)).toBe(end);
    expect(renewed[2]).toMatchObject({ partialJson: '{"path":' });
    // The events handed in are left as they were: the cache keeps them.
    expect(events[1]).toMatchObject({ id: 'a' });
  });

  it('keeps the id it gave across batches of one response', () => {
    const renew = createToolIdRenewer(counter('call_'));
    const [start, ...rest] = toolCall('a');
    expect(renew([start!])).toEqual([{ type: 'tool_start', id: 'call_1', name: 'read' }]);
    expect(renew(rest).every((event) => (event as { id: string }).id === 'call_1')).toBe(true);
  });
});

describe('withFreshToolIds', () => {
  it('renews the ids the sink receives and passes the rest of the sink through', async () => {
    const received: TurnEvent[] = [];
    const attempts: number[] = [];
    let restarts = 0;
    const sink: TurnSink = {
      canRestartAfterOutput: true,
      onOutput: (events) => void received.push(...events),
      onRestart: () => restarts++,
      onAttempt: (_accountId, attempt) => attempts.push(attempt),
    };
    const wrapped = withFreshToolIds(sink, counter('toolu_'));
    await wrapped.onOutput(toolCall('kiro-id'));
    wrapped.onRestart?.();
    wrapped.onAttempt?.('acc', 2);
    expect(received.map((event) => (event as { id: string }).id)).toEqual(Array(4).fill('toolu_1'));
    expect(wrapped.canRestartAfterOutput).toBe(true);
    sink.canRestartAfterOutput = false;
    expect(wrapped.canRestartAfterOutput).toBe(false);
    expect([restarts, attempts]).toEqual([1, [2]]);
  });
});
