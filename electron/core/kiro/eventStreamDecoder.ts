/**
 * Incremental decoder for the AWS event-stream framing (eventStreamFrame.ts). Chunks may split frames anywhere
 * and may hold many frames: whole frames are decoded in place (headers parsed, payload returned as a view of
 * the chunk), and only a frame that straddles chunks is copied, once, into a buffer of its own.
 *
 * Corruption is never skipped over: the first bad frame throws `stream_corrupt` and the decoder stays failed,
 * because resynchronising on arbitrary bytes could hand garbled events to a client.
 */
import {
  crc32,
  DEFAULT_MAX_MESSAGE_LENGTH,
  HEADER_TYPE,
  MESSAGE_CRC_LENGTH,
  MIN_MESSAGE_LENGTH,
  PRELUDE_LENGTH,
  type EventStreamMessage,
  type HeaderValue,
} from './eventStreamFrame.ts';
import { UpstreamError } from './upstreamError.ts';

export interface EventStreamDecoderOptions {
  /** Frames announcing a larger total length are rejected as corrupt instead of being buffered. */
  maxMessageLength?: number;
}

const PRELUDE_CRC_OFFSET = 8;
const HEADER_CACHE_SIZE = 8;
const MAX_CACHED_HEADERS_LENGTH = 512;

interface CachedHeaders {
  bytes: Buffer;
  headers: Readonly<Record<string, HeaderValue>>;
}

export class EventStreamDecoder {
  readonly #maxMessageLength: number;
  /** Reused while fewer than PRELUDE_LENGTH bytes of a straddling frame are known. */
  readonly #prelude = Buffer.alloc(PRELUDE_LENGTH);
  /** The straddling frame: `#prelude` until its length is trusted, then a buffer of exactly that length. */
  #pending: Buffer = this.#prelude;
  #pendingLength = 0;
  /** Verified total length of the pending frame; 0 while its prelude is still incomplete. */
  #pendingTotal = 0;
  /** Stream offset of the frame being decoded, so errors can say where the stream went wrong. */
  #frameOffset = 0;
  #failure: UpstreamError | undefined;
  readonly #headerCache: CachedHeaders[] = [];
  #nextCacheSlot = 0;

  constructor(options: EventStreamDecoderOptions = {}) {
    this.#maxMessageLength = options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
  }

  /** Bytes held back because they belong to a frame that has not fully arrived. */
  get bufferedBytes(): number {
    return this.#pendingLength;
  }

  /**
   * Returns every message completed by `chunk`, in stream order. Payloads are views, so the caller must not
   * overwrite `chunk` afterwards; headers are frozen and may be shared by several messages.
   */
  push(chunk: Uint8Array): EventStreamMessage[] {
    if (this.#failure) throw this.#failure;
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const messages: EventStreamMessage[] = [];
    try {
      this.#decodeInto(bytes, messages);
    } catch (error) {
      // Good frames that came before the bad one in this chunk are delivered; the failure is raised by the
      // next push() or end(), so the caller sees every valid event and then the error.
      if (messages.length === 0 || !this.#failure) throw error;
    }
    return messages;
  }

  #decodeInto(bytes: Buffer, messages: EventStreamMessage[]): void {
    let offset = this.#pendingLength > 0 ? this.#continuePending(bytes, messages) : 0;
    while (offset < bytes.length) {
      const available = bytes.length - offset;
      if (available < PRELUDE_LENGTH) {
        this.#hold(bytes, offset, this.#prelude, 0);
        break;
      }
      const total = this.#readPrelude(bytes, offset);
      if (available < total) {
        this.#hold(bytes, offset, Buffer.allocUnsafe(total), total);
        break;
      }
      messages.push(this.#decodeFrame(bytes, offset, total));
      offset += total;
    }
  }

  /** Declares the end of the stream: throws `stream_truncated` if it stopped inside a frame. */
  end(): void {
    if (this.#failure) throw this.#failure;
    if (this.#pendingLength === 0) return;
    const expected = this.#pendingTotal === 0 ? `at least ${PRELUDE_LENGTH}` : String(this.#pendingTotal);
    throw new UpstreamError(
      'stream_truncated',
      `Event stream ended inside the frame at offset ${this.#frameOffset}: ` +
        `${this.#pendingLength} of ${expected} bytes received`,
    );
  }

  /** Feeds the head of `bytes` into the straddling frame; returns how many bytes it took. */
  #continuePending(bytes: Buffer, messages: EventStreamMessage[]): number {
    let consumed = 0;
    if (this.#pendingTotal === 0) {
      consumed = this.#append(bytes, 0, PRELUDE_LENGTH);
      if (this.#pendingLength < PRELUDE_LENGTH) return consumed;
      const total = this.#readPrelude(this.#prelude, 0);
      this.#pending = Buffer.allocUnsafe(total);
      this.#prelude.copy(this.#pending);
      this.#pendingTotal = total;
    }
    consumed += this.#append(bytes, consumed, this.#pendingTotal);
    if (this.#pendingLength < this.#pendingTotal) return consumed;
    const frame = this.#pending;
    this.#pending = this.#prelude;
    this.#pendingLength = 0;
    this.#pendingTotal = 0;
    messages.push(this.#decodeFrame(frame, 0, frame.length));
    return consumed;
  }

  #append(bytes: Buffer, from: number, upTo: number): number {
    const count = Math.min(upTo - this.#pendingLength, bytes.length - from);
    bytes.copy(this.#pending, this.#pendingLength, from, from + count);
    this.#pendingLength += count;
    return count;
  }

  #hold(bytes: Buffer, offset: number, target: Buffer, total: number): void {
    this.#pending = target;
    this.#pendingLength = 0;
    this.#pendingTotal = total;
    this.#append(bytes, offset, target.length);
  }

  /** Verifies the prelude CRC before believing the length, so a flipped bit cannot make us wait for megabytes. */
  #readPrelude(bytes: Buffer, start: number): number {
    const expectedCrc = bytes.readUInt32BE(start + PRELUDE_CRC_OFFSET);
    const actualCrc = crc32(bytes.subarray(start, start + PRELUDE_CRC_OFFSET));
    if (actualCrc !== expectedCrc) {
      throw this.#corrupt(`prelude CRC is ${hex(actualCrc)}, the frame says ${hex(expectedCrc)}`);
    }
    const total = bytes.readUInt32BE(start);
    if (total < MIN_MESSAGE_LENGTH || total > this.#maxMessageLength) {
      throw this.#corrupt(
        `total length ${total} is outside ${MIN_MESSAGE_LENGTH}..${this.#maxMessageLength}`,
      );
    }
    const headersLength = bytes.readUInt32BE(start + 4);
    if (headersLength > total - MIN_MESSAGE_LENGTH) {
      throw this.#corrupt(`headers length ${headersLength} does not fit in a frame of ${total} bytes`);
    }
    return total;
  }

  #decodeFrame(bytes: Buffer, start: number, total: number): EventStreamMessage {
    const crcOffset = start + total - MESSAGE_CRC_LENGTH;
    const expectedCrc = bytes.readUInt32BE(crcOffset);
    // The prelude CRC is the running CRC of the first 8 bytes, so the message CRC continues from it.
    const preludeCrc = bytes.readUInt32BE(start + PRELUDE_CRC_OFFSET);
    const actualCrc = crc32(bytes.subarray(start + PRELUDE_CRC_OFFSET, crcOffset), preludeCrc);
    if (actualCrc !== expectedCrc) {
      throw this.#corrupt(
        `message CRC is ${hex(actualCrc)}, the frame says ${hex(expectedCrc)} (length ${total})`,
      );
    }
    const headersStart = start + PRELUDE_LENGTH;
    const headersEnd = headersStart + bytes.readUInt32BE(start + 4);
    const headers = this.#headersOf(bytes, headersStart, headersEnd);
    this.#frameOffset += total;
    return { headers, payload: bytes.subarray(headersEnd, crcOffset) };
  }

  /** Kiro repeats a handful of header blocks byte for byte, so a parsed block is looked up before parsing. */
  #headersOf(bytes: Buffer, start: number, end: number): Readonly<Record<string, HeaderValue>> {
    const length = end - start;
    for (const entry of this.#headerCache) {
      if (entry.bytes.length === length && bytes.compare(entry.bytes, 0, length, start, end) === 0) {
        return entry.headers;
      }
    }
    const { headers, cacheable } = this.#decodeHeaders(bytes, start, end);
    if (cacheable && length <= MAX_CACHED_HEADERS_LENGTH) {
      this.#headerCache[this.#nextCacheSlot] = { bytes: Buffer.from(bytes.subarray(start, end)), headers };
      this.#nextCacheSlot = (this.#nextCacheSlot + 1) % HEADER_CACHE_SIZE;
    }
    return headers;
  }

  /** Binary values are views into the chunk, so blocks holding one are not cached. */
  #decodeHeaders(
    bytes: Buffer,
    start: number,
    end: number,
  ): { headers: Record<string, HeaderValue>; cacheable: boolean } {
    const headers: Record<string, HeaderValue> = {};
    let cacheable = true;
    let position = start;
    while (position < end) {
      const nameLength = bytes[position]!;
      const nameEnd = position + 1 + nameLength;
      // The name must be non-empty and leave room for at least the type tag.
      if (nameLength === 0 || nameEnd >= end) {
        throw this.#corrupt(
          `header name of ${nameLength} bytes at header offset ${position - start} is malformed`,
        );
      }
      const name = bytes.toString('utf8', position + 1, nameEnd);
      const tag = bytes[nameEnd]!;
      const valueStart = nameEnd + 1;
      const valueEnd = valueStart + this.#valueLength(bytes, tag, valueStart, end, name);
      if (valueEnd > end) {
        throw this.#corrupt(`header "${name}" (type ${tag}) runs ${valueEnd - end} bytes past the headers`);
      }
      const value = Object.freeze(readHeaderValue(bytes, tag, valueStart, valueEnd));
      if (tag === HEADER_TYPE.binary) cacheable = false;
      // A header named __proto__ would otherwise replace the object's prototype.
      if (name === '__proto__') Object.defineProperty(headers, name, { value, enumerable: true });
      else headers[name] = value;
      position = valueEnd;
    }
    return { headers: Object.freeze(headers), cacheable };
  }

  /** Wire size of a header value, including the u16 length prefix of binary and string values. */
  #valueLength(bytes: Buffer, tag: number, valueStart: number, end: number, name: string): number {
    const fixed = FIXED_VALUE_LENGTH[tag];
    if (fixed !== undefined) return fixed;
    if (tag !== HEADER_TYPE.binary && tag !== HEADER_TYPE.string) {
      throw this.#corrupt(`header "${name}" has unknown value type ${tag}`);
    }
    if (valueStart + 2 > end) throw this.#corrupt(`header "${name}" is cut inside its value length`);
    return 2 + bytes.readUInt16BE(valueStart);
  }

  #corrupt(detail: string): UpstreamError {
    this.#failure = new UpstreamError(
      'stream_corrupt',
      `Corrupt event stream in the frame at offset ${this.#frameOffset}: ${detail}`,
    );
    return this.#failure;
  }
}

/** Value sizes of the fixed-width header types, indexed by wire tag. */
const FIXED_VALUE_LENGTH: Record<number, number> = {
  [HEADER_TYPE.boolTrue]: 0,
  [HEADER_TYPE.boolFalse]: 0,
  [HEADER_TYPE.byte]: 1,
  [HEADER_TYPE.short]: 2,
  [HEADER_TYPE.integer]: 4,
  [HEADER_TYPE.long]: 8,
  [HEADER_TYPE.timestamp]: 8,
  [HEADER_TYPE.uuid]: 16,
};

/** Reads a value whose tag and bounds have already been checked. */
function readHeaderValue(bytes: Buffer, tag: number, start: number, end: number): HeaderValue {
  switch (tag) {
    case HEADER_TYPE.string:
      return { type: 'string', value: bytes.toString('utf8', start + 2, end) };
    case HEADER_TYPE.boolTrue:
      return { type: 'boolean', value: true };
    case HEADER_TYPE.boolFalse:
      return { type: 'boolean', value: false };
    case HEADER_TYPE.byte:
      return { type: 'byte', value: bytes.readInt8(start) };
    case HEADER_TYPE.short:
      return { type: 'short', value: bytes.readInt16BE(start) };
    case HEADER_TYPE.integer:
      return { type: 'integer', value: bytes.readInt32BE(start) };
    case HEADER_TYPE.long:
      return { type: 'long', value: bytes.readBigInt64BE(start) };
    case HEADER_TYPE.binary:
      return { type: 'binary', value: bytes.subarray(start + 2, end) };
    case HEADER_TYPE.timestamp:
      return { type: 'timestamp', value: new Date(Number(bytes.readBigInt64BE(start))) };
    default:
      return { type: 'uuid', value: formatUuid(bytes.toString('hex', start, end)) };
  }
}

function formatUuid(hexDigits: string): string {
  return `${hexDigits.slice(0, 8)}-${hexDigits.slice(8, 12)}-${hexDigits.slice(12, 16)}-${hexDigits.slice(16, 20)}-${hexDigits.slice(20)}`;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
