import { describe, expect, it } from 'vitest';
import type { KiroEvent } from '../../electron/core/kiro/kiroEvents.ts';
import { UpstreamError } from '../../electron/core/kiro/upstreamError.ts';
import { estimateTokens } from '../../electron/core/translate/tokenEstimate.ts';
import {
  createTurnAssembler,
  type TurnAssemblerOptions,
} from '../../electron/core/translate/turnAssembler.ts';
import type { TurnEvent } from '../../electron/core/translate/turnEvents.ts';

const BASE: TurnAssemblerOptions = {
  thinking: false,
  restoreToolName: (name) => name,
  estimatedInputTokens: 1234,
  contextWindow: 200_000,
};

function assemble(events: KiroEvent[], options: Partial<TurnAssemblerOptions> = {}): TurnEvent[] {
  const assembler = createTurnAssembler({ ...BASE, ...options });
  return [...events.flatMap((event) => assembler.push(event)), ...assembler.finish()];
}

function endOf(events: TurnEvent[]): Extract<TurnEvent, { type: 'end' }> {
  const ends = events.filter((event) => event.type === 'end');
  expect(ends).toHaveLength(1);
  expect(events.at(-1)).toBe(ends[0]);
  return ends[0] as Extract<TurnEvent, { type: 'end' }>;
}

function caught(run: () => unknown): UpstreamError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error('expected an UpstreamError');
}

const text = (content: string): KiroEvent => ({ type: 'assistantResponse', content });
const tool = (toolUseId: string, name: string, input = '', stop = false): KiroEvent => ({
  type: 'toolUse',
  toolUseId,
  name,
  input,
  stop,
});

describe('turn assembler: text and thinking', () => {
  it('passes text through chunk by chunk, keeping repeated identical chunks', () => {
    const assembler = createTurnAssembler(BASE);
    expect(assembler.producedOutput).toBe(false);
    expect(assembler.push(text('ha'))).toEqual([{ type: 'text_delta', text: 'ha' }]);
    expect(assembler.producedOutput).toBe(true);
    expect(assembler.push(text('ha'))).toEqual([{ type: 'text_delta', text: 'ha' }]);
    expect(assembler.push(text(''))).toEqual([]);
    expect(endOf(assembler.finish()).stopReason).toBe('end_turn');
  });

  it('drops a thinking block the model wrote although no thinking was asked for', () => {
    const events = assemble([text('<thinking>x</thinking>\n\ny')]);
    expect(events[0]).toEqual({ type: 'text_delta', text: 'y' });
  });

  it('keeps tags that do not open the answer when thinking was not injected', () => {
    const events = assemble([text('see <thinking>x</thinking>\n\ny')]);
    expect(events[0]).toEqual({ type: 'text_delta', text: 'see <thinking>x</thinking>\n\ny' });
  });

  it('splits injected thinking from the answer', () => {
    const events = assemble([text('<thinking>hm'), text('m</thinking>\n'), text('\nDone.')], {
      thinking: true,
    });
    expect(events.slice(0, -1)).toEqual([
      { type: 'thinking_delta', text: 'hm' },
      { type: 'thinking_delta', text: 'm' },
      { type: 'text_delta', text: 'Done.' },
    ]);
    expect(endOf(events).stopReason).toBe('end_turn');
  });

  it('answers a thinking-only stream with a blank text and max_tokens', () => {
    const events = assemble([text('<thinking>never ends')], { thinking: true });
    expect(events.slice(0, -1)).toEqual([
      { type: 'thinking_delta', text: 'never ends' },
      { type: 'text_delta', text: ' ' },
    ]);
    expect(endOf(events).stopReason).toBe('max_tokens');
  });

  it('flushes a held-back partial tag at the end', () => {
    const events = assemble([text('<thinking>a</thin')], { thinking: true });
    expect(events.filter((e) => e.type === 'thinking_delta').map((e) => e.text)).toEqual(['a', '</thin']);
  });

  it('turns native reasoning into thinking with the signature fragments joined', () => {
    const events = assemble(
      [
        { type: 'reasoningContent', text: 'Let me see.' },
        { type: 'reasoningContent', signature: 'sig-' },
        { type: 'reasoningContent', signature: 'part2' },
        text('Answer'),
      ],
      { thinking: true },
    );
    expect(events.slice(0, -1)).toEqual([
      { type: 'thinking_delta', text: 'Let me see.' },
      { type: 'thinking_signature', signature: 'sig-part2' },
      { type: 'text_delta', text: 'Answer' },
    ]);
  });
});

describe('turn assembler: tool calls', () => {
  it('streams tool input fragments as they arrive and restores the tool name', () => {
    const assembler = createTurnAssembler({ ...BASE, restoreToolName: (name) => `original_${name}` });
    expect(assembler.push(text('Reading.'))).toHaveLength(1);
    expect(assembler.push(tool('t1', 'read', ''))).toEqual([
      { type: 'tool_start', id: 't1', name: 'original_read' },
    ]);
    expect(assembler.push(tool('t1', 'read', '{"path":'))).toEqual([
      { type: 'tool_input_delta', id: 't1', partialJson: '{"path":' },
    ]);
    expect(assembler.push(tool('t1', 'read', '"a.txt"}', true))).toEqual([
      { type: 'tool_input_delta', id: 't1', partialJson: '"a.txt"}' },
      { type: 'tool_stop', id: 't1' },
    ]);
    expect(endOf(assembler.finish()).stopReason).toBe('tool_use');
  });

  it('handles parallel tools one after another and ignores duplicates of finished calls', () => {
    const events = assemble([
      tool('t1', 'a', '{"x":1}', true),
      tool('t1', 'a', '{"x":1}', true),
      tool('t2', 'b', '{}'),
      tool('t2', 'b', '', true),
      tool('t1', 'a', ''),
    ]);
    expect(events.slice(0, -1)).toEqual([
      { type: 'tool_start', id: 't1', name: 'a' },
      { type: 'tool_input_delta', id: 't1', partialJson: '{"x":1}' },
      { type: 'tool_stop', id: 't1' },
      { type: 'tool_start', id: 't2', name: 'b' },
      { type: 'tool_input_delta', id: 't2', partialJson: '{}' },
      { type: 'tool_stop', id: 't2' },
    ]);
  });

  it('closes an open call when a new id starts', () => {
    const events = assemble([tool('t1', 'a', '{"x":1}'), tool('t2', 'b', '{"y":2}', true)]);
    expect(events.map((e) => e.type)).toEqual([
      'tool_start',
      'tool_input_delta',
      'tool_stop',
      'tool_start',
      'tool_input_delta',
      'tool_stop',
      'end',
    ]);
    expect(events[2]).toEqual({ type: 'tool_stop', id: 't1' });
  });

  it('treats a fragment without an id as part of the open call', () => {
    const events = assemble([tool('t1', 'a', '{"x":'), tool('', '', '2}', true), tool('', '', '{}', true)]);
    expect(events.slice(0, -1)).toEqual([
      { type: 'tool_start', id: 't1', name: 'a' },
      { type: 'tool_input_delta', id: 't1', partialJson: '{"x":' },
      { type: 'tool_input_delta', id: 't1', partialJson: '2}' },
      { type: 'tool_stop', id: 't1' },
    ]);
  });

  it('closes an open call when text follows it', () => {
    const events = assemble([tool('t1', 'a', '{}'), text('after')]);
    expect(events.map((e) => e.type)).toEqual([
      'tool_start',
      'tool_input_delta',
      'tool_stop',
      'text_delta',
      'end',
    ]);
  });

  it('gives a call without input the arguments {}', () => {
    const events = assemble([tool('t1', 'list', ''), tool('t1', 'list', '', true)]);
    expect(events.slice(0, -1)).toEqual([
      { type: 'tool_start', id: 't1', name: 'list' },
      { type: 'tool_input_delta', id: 't1', partialJson: '{}' },
      { type: 'tool_stop', id: 't1' },
    ]);
  });

  it('fails a call whose arguments were cut off', () => {
    const assembler = createTurnAssembler(BASE);
    assembler.push(tool('t1', 'Write', '{"content":"line 1\\nline'));
    const error = caught(() => assembler.push(tool('t1', 'Write', '', true)));
    expect(error.kind).toBe('stream_truncated');
    expect(error.message).toContain('Write');
  });

  it('fails a call whose arguments are JSON but not an object', () => {
    expect(caught(() => assemble([tool('t1', 'a', '[1]', true)])).kind).toBe('stream_truncated');
  });

  it('fails when the stream ends inside a call', () => {
    const assembler = createTurnAssembler({ ...BASE, restoreToolName: () => 'Write' });
    assembler.push(tool('t1', 'w', '{"path":"a.txt"}'));
    const error = caught(() => assembler.finish());
    expect(error.kind).toBe('stream_truncated');
    expect(error.message).toBe('Kiro ended the stream inside a tool call (Write)');
  });

  it('flushes held-back thinking before a tool call starts', () => {
    const events = assemble([text('<thinking>plan</thinking>'), tool('t1', 'a', '{}', true)], {
      thinking: true,
    });
    expect(events.slice(0, -1).map((e) => e.type)).toEqual([
      'thinking_delta',
      'tool_start',
      'tool_input_delta',
      'tool_stop',
    ]);
    expect(endOf(events).stopReason).toBe('tool_use');
  });
});

describe('turn assembler: failures', () => {
  it('fails a stream without any answer', () => {
    const error = caught(() =>
      assemble([
        { type: 'metering', usage: 0.1 },
        { type: 'contextUsage', contextUsagePercentage: 3 },
      ]),
    );
    expect(error.kind).toBe('stream_truncated');
    expect(error.message).toBe('Kiro ended the stream without an answer');
  });

  it('maps a content-length exception to context_too_long', () => {
    const exception: KiroEvent = {
      type: 'exception',
      exceptionType: 'ContentLengthExceededException',
      message: 'Too much',
    };
    expect(caught(() => assemble([exception])).kind).toBe('context_too_long');
    const byMessage: KiroEvent = { type: 'exception', exceptionType: 'error', message: 'Input is too long.' };
    expect(caught(() => assemble([text('a'), byMessage])).kind).toBe('context_too_long');
  });

  it('maps other exceptions to stream_exception with the upstream message', () => {
    const error = caught(() =>
      assemble([
        { type: 'exception', exceptionType: 'InternalServerException', message: 'boom', reason: 'R' },
      ]),
    );
    expect(error.kind).toBe('stream_exception');
    expect(error.message).toBe('boom');
    expect(error.reason).toBe('R');
  });

  it('ignores unknown events', () => {
    const events = assemble([{ type: 'unknown', eventType: 'followupPromptEvent' }, text('x')]);
    expect(events.map((e) => e.type)).toEqual(['text_delta', 'end']);
  });
});

describe('turn assembler: stop reasons', () => {
  it('reports model_context_window_exceeded at 100 % context', () => {
    const events = assemble([text('x'), { type: 'contextUsage', contextUsagePercentage: 100 }]);
    expect(endOf(events).stopReason).toBe('model_context_window_exceeded');
  });

  it('prefers tool_use over a full context', () => {
    const events = assemble([
      tool('t', 'a', '{}', true),
      { type: 'contextUsage', contextUsagePercentage: 100 },
    ]);
    expect(endOf(events).stopReason).toBe('tool_use');
  });

  it('maps the metadata stop reason', () => {
    expect(endOf(assemble([text('x'), { type: 'metadata', stopReason: 'MAX_TOKENS' }])).stopReason).toBe(
      'max_tokens',
    );
    expect(endOf(assemble([text('x'), { type: 'metadata', stopReason: 'END_TURN' }])).stopReason).toBe(
      'end_turn',
    );
  });
});

describe('turn assembler: usage', () => {
  it('falls back to the local input estimate and estimates output from everything written', () => {
    const events = assemble([text('<thinking>why</thinking>\n\nHello'), tool('t', 'a', '{"k":"v"}', true)], {
      thinking: true,
    });
    expect(endOf(events).usage).toEqual({
      inputTokens: 1234,
      outputTokens: estimateTokens('whyHello{"k":"v"}'),
    });
  });

  it("reports the request figure everywhere and keeps Kiro's context percentage aside for calibration", () => {
    const events = assemble([text('x'), { type: 'contextUsage', contextUsagePercentage: 12.345 }], {
      contextWindow: 1_000_000,
    });
    expect(endOf(events).usage).toMatchObject({ inputTokens: 1234, upstreamInputTokens: 123_450 });
  });

  it('splits the figure into uncached + cache read + cache write when Kiro reports its cache use', () => {
    const events = assemble([
      text('x'),
      { type: 'metadata', tokenUsage: { cacheReadInputTokens: 300, cacheWriteInputTokens: 200 } },
      { type: 'contextUsage', contextUsagePercentage: 1 },
    ]);
    const usage = endOf(events).usage;
    expect(usage).toMatchObject({
      inputTokens: 734,
      cacheReadInputTokens: 300,
      cacheCreationInputTokens: 200,
      upstreamInputTokens: 2_000,
    });
    expect(usage.inputTokens + usage.cacheReadInputTokens! + usage.cacheCreationInputTokens!).toBe(1234);
  });

  it("takes Kiro's metadata token counts as its figure, and its output count as is", () => {
    const events = assemble([
      text('x'),
      { type: 'metadata', tokenUsage: { uncachedInputTokens: 42 } },
      { type: 'metadata', tokenUsage: { outputTokens: 7 } },
      { type: 'contextUsage', contextUsagePercentage: 50 },
    ]);
    expect(endOf(events).usage).toEqual({ inputTokens: 1234, outputTokens: 7, upstreamInputTokens: 42 });
  });

  it('sums the credits of every metering event and leaves cache fields absent when unreported', () => {
    const events = assemble([text('x'), { type: 'metering', usage: 0.2 }, { type: 'metering', usage: 0.35 }]);
    const usage = endOf(events).usage;
    expect(usage.credits).toBeCloseTo(0.55, 10);
    expect('cacheReadInputTokens' in usage).toBe(false);
    expect('cacheCreationInputTokens' in usage).toBe(false);
    expect('upstreamInputTokens' in usage).toBe(false);
  });
});

describe('turn assembler: exception frames classified like HTTP errors', () => {
  const exceptionOf = (exceptionType: string, message: string, reason?: string): KiroEvent => ({
    type: 'exception',
    exceptionType,
    message,
    ...(reason !== undefined && { reason }),
  });
  const kindOf = (event: KiroEvent) => {
    try {
      createTurnAssembler(BASE).push(event);
    } catch (error) {
      return (error as UpstreamError).kind;
    }
    return undefined;
  };

  it('maps ThrottlingException to rate_limited, a monthly limit to quota_exhausted', () => {
    expect(
      kindOf(exceptionOf('ThrottlingException', 'Too many requests', 'SERVICE_REQUEST_RATE_EXCEEDED')),
    ).toBe('rate_limited');
    expect(
      kindOf(exceptionOf('ThrottlingException', 'Maximum Request reached', 'MONTHLY_REQUEST_COUNT')),
    ).toBe('quota_exhausted');
    expect(kindOf(exceptionOf('ServiceQuotaExceededException', 'Over the limit'))).toBe('quota_exhausted');
  });

  it('maps ValidationException to invalid_request and AccessDenied suspension to suspended', () => {
    expect(kindOf(exceptionOf('ValidationException', 'Improperly formed request.'))).toBe('invalid_request');
    expect(kindOf(exceptionOf('AccessDeniedException', 'Your User ID temporarily is suspended'))).toBe(
      'suspended',
    );
  });
});
