import { describe, expect, it } from 'vitest';
import {
  encodeEventStreamMessage,
  encodeKiroEvent,
  encodeKiroException,
} from '../../electron/core/kiro/eventStreamEncoder.ts';
import type { EventStreamMessage, HeaderValue } from '../../electron/core/kiro/eventStreamFrame.ts';
import { createKiroEventDecoder, decodeKiroEvent } from '../../electron/core/kiro/kiroEventDecoder.ts';
import { UpstreamError } from '../../electron/core/kiro/upstreamError.ts';
import { thrownBy } from './thrownBy.ts';

const text = (value: string): HeaderValue => ({ type: 'string', value });

function eventMessage(eventType: string, payload: unknown): EventStreamMessage {
  return {
    headers: { ':message-type': text('event'), ':event-type': text(eventType) },
    payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8'),
  };
}

const decodeEvent = (eventType: string, payload: unknown) =>
  decodeKiroEvent(eventMessage(eventType, payload));

function expectCorrupt(action: () => unknown, pattern: RegExp): void {
  const error = thrownBy(action, UpstreamError);
  expect(error.kind).toBe('stream_corrupt');
  expect(error.message).toMatch(pattern);
}

describe('decodeKiroEvent events', () => {
  it('maps assistantResponseEvent to its text, ignoring extra fields', () => {
    expect(decodeEvent('assistantResponseEvent', { content: 'Hi 漢字', modelId: 'claude' })).toEqual({
      type: 'assistantResponse',
      content: 'Hi 漢字',
    });
  });

  it('maps toolUseEvent fragments, defaulting stop to false', () => {
    const fragment = { toolUseId: 'tooluse_1', name: 'Write', input: '{"path":' };
    expect(decodeEvent('toolUseEvent', fragment)).toEqual({ type: 'toolUse', ...fragment, stop: false });
    expect(decodeEvent('toolUseEvent', { ...fragment, input: '}', stop: true })).toEqual({
      type: 'toolUse',
      ...fragment,
      input: '}',
      stop: true,
    });
  });

  it('tolerates tool input as an object, as {} or absent', () => {
    const ids = { toolUseId: 'tooluse_2', name: 'Read' };
    const input = (raw: unknown) => decodeKiroEvent(eventMessage('toolUseEvent', { ...ids, input: raw }));
    expect(input({ path: 'a.txt', lines: [1, 2] })).toMatchObject({
      input: '{"path":"a.txt","lines":[1,2]}',
    });
    expect(input({})).toMatchObject({ input: '' });
    expect(decodeEvent('toolUseEvent', ids)).toMatchObject({ input: '', stop: false });
    expect(decodeEvent('toolUseEvent', { stop: true })).toEqual({
      type: 'toolUse',
      toolUseId: '',
      name: '',
      input: '',
      stop: true,
    });
  });

  it('maps reasoningContentEvent, keeping only the fields sent', () => {
    expect(decodeEvent('reasoningContentEvent', { text: 'Let me think', signature: 'sig' })).toEqual({
      type: 'reasoningContent',
      text: 'Let me think',
      signature: 'sig',
    });
    expect(decodeEvent('reasoningContentEvent', { redactedContent: 'b64==' })).toEqual({
      type: 'reasoningContent',
      redactedContent: 'b64==',
    });
  });

  it('maps meteringEvent and contextUsageEvent', () => {
    expect(decodeEvent('meteringEvent', { usage: 0.1619, unit: 'credit' })).toEqual({
      type: 'metering',
      usage: 0.1619,
      unit: 'credit',
    });
    expect(decodeEvent('meteringEvent', { usage: 2 })).toEqual({ type: 'metering', usage: 2 });
    expect(decodeEvent('contextUsageEvent', { contextUsagePercentage: 61.49, breakdown: {} })).toEqual({
      type: 'contextUsage',
      contextUsagePercentage: 61.49,
    });
  });

  it('maps metadataEvent and messageMetadataEvent to metadata', () => {
    const tokenUsage = {
      uncachedInputTokens: 10,
      outputTokens: 20,
      totalTokens: 40,
      cacheReadInputTokens: 7,
      cacheWriteInputTokens: 3,
    };
    expect(
      decodeEvent('metadataEvent', { tokenUsage: { ...tokenUsage, extra: 'x' }, stopReason: 'end_turn' }),
    ).toEqual({ type: 'metadata', tokenUsage, stopReason: 'end_turn' });
    expect(decodeEvent('messageMetadataEvent', { conversationId: 'c', utteranceId: 'u' })).toEqual({
      type: 'metadata',
    });
    expect(decodeEvent('messageMetadataEvent', { tokenUsage: { outputTokens: 5 } })).toEqual({
      type: 'metadata',
      tokenUsage: { outputTokens: 5 },
    });
  });

  it('keeps unknown event types as unknown without reading their payload', () => {
    expect(decodeEvent('followupPromptEvent', { followupPrompt: { content: 'more?' } })).toEqual({
      type: 'unknown',
      eventType: 'followupPromptEvent',
    });
    expect(decodeEvent('someFutureEvent', 'not json')).toEqual({
      type: 'unknown',
      eventType: 'someFutureEvent',
    });
  });
});

describe('decodeKiroEvent failures', () => {
  it('maps exception frames from their payload', () => {
    const [frame] = createKiroEventDecoder().push(
      encodeKiroException('ContentLengthExceededException', {
        message: 'Input is too long.',
        reason: 'CONTENT_LENGTH_EXCEEDS_THRESHOLD',
      }),
    );
    expect(frame).toEqual({
      type: 'exception',
      exceptionType: 'ContentLengthExceededException',
      message: 'Input is too long.',
      reason: 'CONTENT_LENGTH_EXCEEDS_THRESHOLD',
    });
  });

  it('names an exception from __type when the header is missing', () => {
    const message: EventStreamMessage = {
      headers: { ':message-type': text('exception') },
      payload: Buffer.from(
        JSON.stringify({ __type: 'com.amazon.aws#ThrottlingException', message: 'Slow down' }),
      ),
    };
    expect(decodeKiroEvent(message)).toEqual({
      type: 'exception',
      exceptionType: 'ThrottlingException',
      message: 'Slow down',
    });
  });

  it('maps error frames from :error-code and :error-message headers', () => {
    const message: EventStreamMessage = {
      headers: {
        ':message-type': text('error'),
        ':error-code': text('InternalServerError'),
        ':error-message': text('Encountered unexpectedly high load'),
      },
      payload: Buffer.alloc(0),
    };
    expect(decodeKiroEvent(message)).toEqual({
      type: 'exception',
      exceptionType: 'InternalServerError',
      message: 'Encountered unexpectedly high load',
    });
    const withPayload = { ...message, payload: Buffer.from('{"message":"from payload","reason":"R"}') };
    expect(decodeKiroEvent(withPayload)).toMatchObject({ message: 'from payload', reason: 'R' });
  });

  it('rejects payloads that are not JSON objects', () => {
    expectCorrupt(
      () => decodeEvent('assistantResponseEvent', '{"content":'),
      /assistantResponseEvent payload of 11 bytes is not JSON/,
    );
    expectCorrupt(() => decodeEvent('toolUseEvent', '["a"]'), /toolUseEvent payload is not a JSON object/);
    expectCorrupt(() => decodeEvent('meteringEvent', 'null'), /not a JSON object/);
  });

  it('rejects fields of the wrong type and missing required numbers', () => {
    expectCorrupt(() => decodeEvent('assistantResponseEvent', { content: 5 }), /"content" is a number/);
    expectCorrupt(() => decodeEvent('toolUseEvent', { input: 3 }), /input is a number/);
    expectCorrupt(() => decodeEvent('toolUseEvent', { stop: 'yes' }), /"stop" is a string/);
    expectCorrupt(
      () => decodeEvent('contextUsageEvent', {}),
      /contextUsageEvent has no "contextUsagePercentage"/,
    );
    expectCorrupt(() => decodeEvent('metadataEvent', { tokenUsage: 3 }), /tokenUsage is not an object/);
  });

  it('rejects unknown or missing message types and events without a type', () => {
    const withHeaders = (headers: Record<string, HeaderValue>) => ({ headers, payload: Buffer.from('{}') });
    expectCorrupt(
      () => decodeKiroEvent(withHeaders({ ':message-type': text('ping') })),
      /unknown :message-type "ping"/,
    );
    expectCorrupt(() => decodeKiroEvent(withHeaders({})), /unknown :message-type null/);
    expectCorrupt(() => decodeKiroEvent(withHeaders({ ':message-type': text('event') })), /no :event-type/);
  });
});

describe('createKiroEventDecoder', () => {
  const stream = Buffer.concat([
    encodeKiroEvent('assistantResponseEvent', { content: 'Voilà 🎉' }),
    encodeKiroEvent('toolUseEvent', { toolUseId: 't1', name: 'Write', input: {} }),
    encodeKiroEvent('toolUseEvent', { toolUseId: 't1', name: 'Write', input: '{"a":"漢"}', stop: true }),
    encodeKiroEvent('contextUsageEvent', { contextUsagePercentage: 3 }),
  ]);
  const expected = [
    { type: 'assistantResponse', content: 'Voilà 🎉' },
    { type: 'toolUse', toolUseId: 't1', name: 'Write', input: '', stop: false },
    { type: 'toolUse', toolUseId: 't1', name: 'Write', input: '{"a":"漢"}', stop: true },
    { type: 'contextUsage', contextUsagePercentage: 3 },
  ];

  it('decodes a stream fed byte by byte', () => {
    const decoder = createKiroEventDecoder();
    const events = Array.from(stream).flatMap((byte) => decoder.push(Uint8Array.of(byte)));
    decoder.end();
    expect(events).toEqual(expected);
  });

  it('throws on end inside a frame and passes on frame corruption', () => {
    const truncated = createKiroEventDecoder();
    expect(truncated.push(stream.subarray(0, stream.length - 1))).toEqual(expected.slice(0, 3));
    expect(() => truncated.end()).toThrow(UpstreamError);

    const bad = Buffer.from(stream);
    bad[20]! ^= 0xff;
    expectCorrupt(() => createKiroEventDecoder().push(bad), /message CRC/);
  });

  it('applies the maximum frame length it is given', () => {
    expectCorrupt(
      () => createKiroEventDecoder({ maxMessageLength: 64 }).push(stream),
      /total length \d+ is outside 16\.\.64/,
    );
  });

  it('rejects a frame with no message type', () => {
    const headerless = encodeEventStreamMessage({ headers: {}, payload: Buffer.from('{}') });
    expectCorrupt(() => createKiroEventDecoder().push(headerless), /unknown :message-type/);
  });
});
