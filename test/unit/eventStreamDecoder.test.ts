import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { EventStreamCodec, Int64, type Message, type MessageHeaders } from '@smithy/eventstream-codec';
import { describe, expect, it } from 'vitest';
import { EventStreamDecoder } from '../../electron/core/kiro/eventStreamDecoder.ts';
import { encodeEventStreamMessage, encodeKiroEvent } from '../../electron/core/kiro/eventStreamEncoder.ts';
import {
  crc32,
  DEFAULT_MAX_MESSAGE_LENGTH,
  type EventStreamMessage,
  type HeaderValue,
} from '../../electron/core/kiro/eventStreamFrame.ts';
import { UpstreamError } from '../../electron/core/kiro/upstreamError.ts';
import { thrownBy } from './thrownBy.ts';

const smithyCodec = new EventStreamCodec(toUtf8, fromUtf8);

/** One header of each of the ten wire types, with edge values. */
const allHeaderTypes: Record<string, HeaderValue> = {
  yes: { type: 'boolean', value: true },
  no: { type: 'boolean', value: false },
  byte: { type: 'byte', value: -128 },
  short: { type: 'short', value: -12345 },
  integer: { type: 'integer', value: 2_000_000_123 },
  long: { type: 'long', value: -9_007_199_254_740_993n },
  binary: { type: 'binary', value: Uint8Array.from({ length: 256 }, (_, i) => i) },
  string: { type: 'string', value: 'naïve 漢字 🎉' },
  timestamp: { type: 'timestamp', value: new Date('2025-06-01T12:34:56.789Z') },
  uuid: { type: 'uuid', value: '0f8fad5b-d9cb-469f-a165-70867728950e' },
};

function decodeAll(chunks: Uint8Array[], decoder = new EventStreamDecoder()): EventStreamMessage[] {
  const messages = chunks.flatMap((chunk) => decoder.push(chunk));
  decoder.end();
  return messages;
}

/** Binary values and payloads compared as plain bytes, whatever view type holds them. */
function plain(message: EventStreamMessage): unknown {
  const headers = Object.entries(message.headers).map(([name, header]) =>
    header.type === 'binary' ? [name, 'binary', Buffer.from(header.value).toString('hex')] : [name, header],
  );
  return { headers, payload: Buffer.from(message.payload).toString('hex') };
}

function fromSmithy(message: Message): EventStreamMessage {
  const headers: Record<string, HeaderValue> = {};
  for (const [name, header] of Object.entries(message.headers)) {
    headers[name] =
      header.type === 'long'
        ? { type: 'long', value: Buffer.from(header.value.bytes).readBigInt64BE() }
        : header;
  }
  return { headers, payload: Buffer.from(message.body) };
}

function toSmithy(message: EventStreamMessage): Message {
  const headers: MessageHeaders = {};
  for (const [name, header] of Object.entries(message.headers)) {
    if (header.type !== 'long') {
      headers[name] = header;
      continue;
    }
    const bytes = Buffer.alloc(8);
    bytes.writeBigInt64BE(header.value);
    headers[name] = { type: 'long', value: new Int64(bytes) };
  }
  return { headers, body: message.payload };
}

function expectUpstreamError(action: () => unknown, kind: string, pattern: RegExp): void {
  const error = thrownBy(action, UpstreamError);
  expect(error.kind).toBe(kind);
  expect(error.message).toMatch(pattern);
}

/** A frame with valid CRCs around arbitrary header bytes, for malformed-header cases. */
function frameWithRawHeaders(headers: Buffer, payload = Buffer.from('{}')): Buffer {
  const total = 16 + headers.length + payload.length;
  const frame = Buffer.concat([Buffer.alloc(12), headers, payload, Buffer.alloc(4)]);
  frame.writeUInt32BE(total, 0);
  frame.writeUInt32BE(headers.length, 4);
  frame.writeUInt32BE(crc32(frame.subarray(0, 8)), 8);
  frame.writeUInt32BE(crc32(frame.subarray(0, total - 4)), total - 4);
  return frame;
}

/** Only a prelude, with a valid CRC, announcing the given lengths. */
function prelude(total: number, headersLength: number): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(total, 0);
  bytes.writeUInt32BE(headersLength, 4);
  bytes.writeUInt32BE(crc32(bytes.subarray(0, 8)), 8);
  return bytes;
}

const sourceMessages: EventStreamMessage[] = [
  { headers: allHeaderTypes, payload: Buffer.from('{"content":"héllo"}') },
  ...['Hi', ' there—', ' 漢字', '🎉🎉', ' café naïve', ''].map((content) => ({
    headers: {
      ':event-type': { type: 'string', value: 'assistantResponseEvent' },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    } satisfies Record<string, HeaderValue>,
    payload: Buffer.from(JSON.stringify({ content }), 'utf8'),
  })),
  { headers: {}, payload: Buffer.alloc(0) },
  { headers: { ':message-type': { type: 'string', value: 'event' } }, payload: Buffer.from('x'.repeat(700)) },
];
const stream = Buffer.concat(sourceMessages.map(encodeEventStreamMessage));
const frameEnds = sourceMessages.reduce<number[]>(
  (ends, message) => [...ends, (ends.at(-1) ?? 0) + encodeEventStreamMessage(message).length],
  [],
);

describe('EventStreamDecoder round trips', () => {
  it('decodes every header type written by the encoder', () => {
    const [message] = decodeAll([encodeEventStreamMessage(sourceMessages[0]!)]);
    expect(plain(message!)).toEqual(plain(sourceMessages[0]!));
    expect(message!.headers.long).toEqual({ type: 'long', value: -9_007_199_254_740_993n });
    expect(message!.headers.timestamp).toEqual(allHeaderTypes.timestamp);
  });

  it('decodes frames written by the smithy codec exactly as smithy does', () => {
    for (const source of sourceMessages) {
      const smithyBytes = smithyCodec.encode(toSmithy(source));
      const [ours] = decodeAll([smithyBytes]);
      expect(plain(ours!)).toEqual(plain(source));
      expect(plain(ours!)).toEqual(plain(fromSmithy(smithyCodec.decode(smithyBytes))));
    }
  });

  it('writes frames the smithy codec decodes back to the original', () => {
    for (const source of sourceMessages) {
      const decodedBySmithy = fromSmithy(smithyCodec.decode(encodeEventStreamMessage(source)));
      expect(plain(decodedBySmithy)).toEqual(plain(source));
    }
  });

  it('tells apart header blocks of the same length, however often they repeat', () => {
    const typed = (eventType: string) =>
      encodeEventStreamMessage({
        headers: { ':event-type': { type: 'string', value: eventType } },
        payload: Buffer.from(eventType),
      });
    const order = ['aaaa', 'bbbb', 'aaaa', 'cccc', 'bbbb', 'aaaa'];
    const messages = decodeAll([Buffer.concat(order.map(typed))]);
    expect(messages.map((message) => message.headers[':event-type']?.value)).toEqual(order);
    expect(messages.map((message) => message.payload.toString())).toEqual(order);
    expect(Object.isFrozen(messages[0]!.headers)).toBe(true);
  });

  it('keeps binary header values intact when an earlier chunk is overwritten', () => {
    const withBinary = encodeEventStreamMessage({
      headers: { blob: { type: 'binary', value: Uint8Array.of(1, 2, 3) } },
      payload: Buffer.alloc(0),
    });
    const decoder = new EventStreamDecoder();
    const firstChunk = Buffer.from(withBinary);
    decoder.push(firstChunk);
    firstChunk.fill(0);
    const [again] = decoder.push(Buffer.from(withBinary));
    expect(Buffer.from(again!.headers.blob!.value as Uint8Array)).toEqual(Buffer.of(1, 2, 3));
  });

  it('keeps a header named __proto__ as an ordinary header', () => {
    const [message] = decodeAll([
      encodeEventStreamMessage({
        headers: { ['__proto__']: { type: 'string', value: 'x' } },
        payload: Buffer.alloc(0),
      }),
    ]);
    expect(Object.getPrototypeOf(message!.headers)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(message!.headers, '__proto__')?.value).toEqual({
      type: 'string',
      value: 'x',
    });
  });

  it('accepts a plain Uint8Array chunk', () => {
    const messages = decodeAll([new Uint8Array(stream)]);
    expect(messages.map(plain)).toEqual(sourceMessages.map(plain));
  });

  it('returns payloads as views of a chunk that holds whole frames', () => {
    const messages = new EventStreamDecoder().push(stream);
    expect(messages[1]!.payload.buffer).toBe(stream.buffer);
  });
});

describe('EventStreamDecoder with frames split across chunks', () => {
  const expected = sourceMessages.map(plain);

  it('yields the same messages wherever the stream is cut in two', () => {
    for (let offset = 0; offset <= stream.length; offset++) {
      const decoder = new EventStreamDecoder();
      const first = decoder.push(stream.subarray(0, offset));
      const completeBefore = frameEnds.filter((end) => end <= offset);
      expect(first).toHaveLength(completeBefore.length);
      expect(decoder.bufferedBytes).toBe(offset - (completeBefore.at(-1) ?? 0));
      const messages = [...first, ...decoder.push(stream.subarray(offset))];
      decoder.end();
      expect(messages.map(plain)).toEqual(expected);
    }
  });

  it('yields the same messages byte by byte, including text split inside a character', () => {
    const bytes = Array.from(stream, (byte) => Uint8Array.of(byte));
    const messages = decodeAll(bytes);
    expect(messages.map(plain)).toEqual(expected);
    expect(messages.map((message) => message.payload.toString('utf8'))).toEqual(
      sourceMessages.map((message) => message.payload.toString('utf8')),
    );
  });

  it('yields the same messages for random multi-way splits', () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 200; trial++) {
      const cuts = Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
        Math.floor(random() * stream.length),
      );
      const bounds = [0, ...cuts.sort((a, b) => a - b), stream.length];
      const chunks = bounds.slice(1).map((end, i) => stream.subarray(bounds[i], end));
      expect(decodeAll(chunks).map(plain)).toEqual(expected);
    }
  });

  it('copies a straddling frame so it survives the chunks being reused', () => {
    const frame = encodeKiroEvent('assistantResponseEvent', { content: 'kept' });
    const head = Buffer.from(frame.subarray(0, 20));
    const tail = Buffer.from(frame.subarray(20));
    const decoder = new EventStreamDecoder();
    decoder.push(head);
    const [message] = decoder.push(tail);
    head.fill(0);
    tail.fill(0);
    expect(message!.payload.toString()).toBe('{"content":"kept"}');
  });
});

describe('EventStreamDecoder end of stream', () => {
  it('accepts an end on a frame boundary, including an empty stream', () => {
    expect(() => new EventStreamDecoder().end()).not.toThrow();
    const decoder = new EventStreamDecoder();
    decoder.push(stream);
    expect(decoder.bufferedBytes).toBe(0);
    expect(() => decoder.end()).not.toThrow();
  });

  it('throws stream_truncated when the stream stops inside a prelude or a frame', () => {
    const insidePrelude = new EventStreamDecoder();
    insidePrelude.push(stream.subarray(0, 5));
    expectUpstreamError(() => insidePrelude.end(), 'stream_truncated', /offset 0: 5 of at least 12 bytes/);

    const insideFrame = new EventStreamDecoder();
    insideFrame.push(stream.subarray(0, frameEnds[1]! + 30));
    const thirdLength = frameEnds[2]! - frameEnds[1]!;
    expect(insideFrame.bufferedBytes).toBe(30);
    expectUpstreamError(
      () => insideFrame.end(),
      'stream_truncated',
      new RegExp(`offset ${frameEnds[1]}: 30 of ${thirdLength} bytes`),
    );
  });
});

describe('EventStreamDecoder corruption', () => {
  const frame = encodeKiroEvent('assistantResponseEvent', { content: 'hello' });
  const corrupted = (offset: number) => {
    const copy = Buffer.from(frame);
    copy[offset]! ^= 0x01;
    return copy;
  };

  it('rejects a flipped prelude CRC byte', () => {
    expectUpstreamError(() => new EventStreamDecoder().push(corrupted(9)), 'stream_corrupt', /prelude CRC/);
  });

  it('rejects a corrupted length from the prelude alone instead of waiting for the bytes it announces', () => {
    const bigLength = Buffer.from(frame.subarray(0, 12));
    bigLength[1] = 0x7f;
    expectUpstreamError(() => new EventStreamDecoder().push(bigLength), 'stream_corrupt', /prelude CRC/);
  });

  it('rejects a flipped payload byte and a flipped message CRC byte', () => {
    expectUpstreamError(
      () => new EventStreamDecoder().push(corrupted(frame.length - 6)),
      'stream_corrupt',
      /message CRC/,
    );
    expectUpstreamError(
      () => new EventStreamDecoder().push(corrupted(frame.length - 1)),
      'stream_corrupt',
      /message CRC/,
    );
  });

  it('reports where in the stream the bad frame starts', () => {
    const twoFrames = Buffer.concat([frame, corrupted(frame.length - 6)]);
    expectUpstreamError(
      () => decodeAll([twoFrames]),
      'stream_corrupt',
      new RegExp(`frame at offset ${frame.length}: message CRC`),
    );
  });

  it('rejects lengths beyond the maximum, as soon as the prelude is in', () => {
    expectUpstreamError(
      () => new EventStreamDecoder().push(prelude(DEFAULT_MAX_MESSAGE_LENGTH + 1, 0)),
      'stream_corrupt',
      /total length 16777217 is outside 16\.\.16777216/,
    );
    expectUpstreamError(
      () => new EventStreamDecoder({ maxMessageLength: frame.length - 1 }).push(frame),
      'stream_corrupt',
      /total length/,
    );
    expect(new EventStreamDecoder({ maxMessageLength: frame.length }).push(frame)).toHaveLength(1);
  });

  it('rejects lengths below the minimum frame and headers that cannot fit', () => {
    expectUpstreamError(
      () => new EventStreamDecoder().push(prelude(15, 0)),
      'stream_corrupt',
      /total length 15/,
    );
    expectUpstreamError(
      () => new EventStreamDecoder().push(prelude(40, 25)),
      'stream_corrupt',
      /headers length 25 does not fit in a frame of 40 bytes/,
    );
  });

  it('rejects malformed headers', () => {
    const cases: [Buffer, RegExp][] = [
      [Buffer.from([0, 7, 0, 0]), /header name of 0 bytes/],
      [Buffer.from([5, 0x61, 0x62]), /header name of 5 bytes/],
      [Buffer.from([1, 0x61, 10]), /unknown value type 10/],
      [Buffer.from([1, 0x61, 7, 0, 9, 0x62]), /header "a" \(type 7\) runs 8 bytes past/],
      [Buffer.from([1, 0x61, 4, 0, 0]), /header "a" \(type 4\) runs 2 bytes past/],
      [Buffer.from([1, 0x61, 6, 0]), /cut inside its value length/],
    ];
    for (const [headers, pattern] of cases) {
      expectUpstreamError(
        () => new EventStreamDecoder().push(frameWithRawHeaders(headers)),
        'stream_corrupt',
        pattern,
      );
    }
  });

  it('delivers the good frames before a corrupt one in the same chunk, then fails', () => {
    const good = encodeEventStreamMessage(sourceMessages[0]!);
    const bad = Buffer.from(good);
    bad[bad.length - 6]! ^= 0xff; // a payload byte: the message CRC no longer matches
    const decoder = new EventStreamDecoder();
    expect(decoder.push(Buffer.concat([good, good, bad])).map(plain)).toEqual([
      plain(sourceMessages[0]!),
      plain(sourceMessages[0]!),
    ]);
    expectUpstreamError(() => decoder.end(), 'stream_corrupt', /message CRC/);
    expectUpstreamError(() => decoder.push(good), 'stream_corrupt', /message CRC/);
  });

  it('stays failed after corruption rather than resynchronising', () => {
    const decoder = new EventStreamDecoder();
    expectUpstreamError(() => decoder.push(corrupted(9)), 'stream_corrupt', /prelude CRC/);
    expectUpstreamError(() => decoder.push(frame), 'stream_corrupt', /prelude CRC/);
    expectUpstreamError(() => decoder.end(), 'stream_corrupt', /prelude CRC/);
  });
});
