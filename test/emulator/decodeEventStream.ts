/**
 * Decodes raw event-stream bytes with the official AWS codec, independent of Kiro Dock's own decoder, so tests
 * check the emulator (and anything else) against the reference implementation. The codec verifies both CRCs.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

export interface DecodedFrame {
  /** Header values by name (strings, as every Kiro header is). */
  headers: Record<string, unknown>;
  /** The payload parsed as JSON. */
  payload: unknown;
  /** The frame's own bytes. */
  bytes: Uint8Array;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Splits a buffer into whole messages by their total-length prefix; a trailing partial message is returned too. */
export function splitMessages(bytes: Uint8Array): Uint8Array[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const messages: Uint8Array[] = [];
  for (let offset = 0; offset < view.length;) {
    const length = offset + 4 <= view.length ? view.readUInt32BE(offset) : view.length - offset;
    messages.push(view.subarray(offset, offset + length));
    offset += Math.max(length, 1);
  }
  return messages;
}

export function decodeFrame(bytes: Uint8Array): DecodedFrame {
  const message = codec.decode(bytes);
  const headers = Object.fromEntries(
    Object.entries(message.headers).map(([name, header]) => [name, header.value]),
  );
  return { headers, payload: JSON.parse(toUtf8(message.body)) as unknown, bytes };
}

/** Decodes every message; throws (from the codec) on the first corrupt one. */
export function decodeEventStream(bytes: Uint8Array): DecodedFrame[] {
  return splitMessages(bytes).map(decodeFrame);
}
