/**
 * The AWS event-stream wire format (application/vnd.amazon.eventstream) shared by the decoder and encoder.
 *
 *   u32 total_length | u32 headers_length | u32 prelude_crc | headers | payload | u32 message_crc
 *
 * All integers are big-endian; both CRCs are CRC-32 (zlib / IEEE 802.3).
 */
import zlib from 'node:zlib';

export const PRELUDE_LENGTH = 12;
export const MESSAGE_CRC_LENGTH = 4;
export const MIN_MESSAGE_LENGTH = PRELUDE_LENGTH + MESSAGE_CRC_LENGTH;
/** Larger frames are treated as corruption rather than buffered without bound. */
export const DEFAULT_MAX_MESSAGE_LENGTH = 16 * 1024 * 1024;

export type HeaderValue =
  | { type: 'boolean'; value: boolean }
  | { type: 'byte'; value: number }
  | { type: 'short'; value: number }
  | { type: 'integer'; value: number }
  | { type: 'long'; value: bigint }
  | { type: 'binary'; value: Uint8Array }
  | { type: 'string'; value: string }
  | { type: 'timestamp'; value: Date }
  | { type: 'uuid'; value: string };

/** Wire type tags from the event-stream specification. */
export const HEADER_TYPE = {
  boolTrue: 0,
  boolFalse: 1,
  byte: 2,
  short: 3,
  integer: 4,
  long: 5,
  binary: 6,
  string: 7,
  timestamp: 8,
  uuid: 9,
} as const;

export interface EventStreamMessage {
  headers: Record<string, HeaderValue>;
  payload: Buffer;
}

/** Node ≥ 20.15 ships a native CRC-32; it is an order of magnitude faster than a table loop in JS. */
export function crc32(bytes: Uint8Array, initial = 0): number {
  return zlib.crc32(bytes, initial) >>> 0;
}
