import {
  crc32,
  HEADER_TYPE,
  MESSAGE_CRC_LENGTH,
  PRELUDE_LENGTH,
  type EventStreamMessage,
  type HeaderValue,
} from './eventStreamFrame.ts';

function encodeHeaderValue(header: HeaderValue): Buffer {
  switch (header.type) {
    case 'boolean':
      return Buffer.from([header.value ? HEADER_TYPE.boolTrue : HEADER_TYPE.boolFalse]);
    case 'byte': {
      const out = Buffer.alloc(2);
      out[0] = HEADER_TYPE.byte;
      out.writeInt8(header.value, 1);
      return out;
    }
    case 'short': {
      const out = Buffer.alloc(3);
      out[0] = HEADER_TYPE.short;
      out.writeInt16BE(header.value, 1);
      return out;
    }
    case 'integer': {
      const out = Buffer.alloc(5);
      out[0] = HEADER_TYPE.integer;
      out.writeInt32BE(header.value, 1);
      return out;
    }
    case 'long': {
      const out = Buffer.alloc(9);
      out[0] = HEADER_TYPE.long;
      out.writeBigInt64BE(header.value, 1);
      return out;
    }
    case 'timestamp': {
      const out = Buffer.alloc(9);
      out[0] = HEADER_TYPE.timestamp;
      out.writeBigInt64BE(BigInt(header.value.getTime()), 1);
      return out;
    }
    case 'uuid': {
      const hex = header.value.replace(/-/g, '');
      return Buffer.concat([Buffer.from([HEADER_TYPE.uuid]), Buffer.from(hex, 'hex')]);
    }
    case 'binary':
    case 'string': {
      const data = header.type === 'string' ? Buffer.from(header.value, 'utf8') : Buffer.from(header.value);
      const out = Buffer.alloc(3 + data.length);
      out[0] = header.type === 'string' ? HEADER_TYPE.string : HEADER_TYPE.binary;
      out.writeUInt16BE(data.length, 1);
      data.copy(out, 3);
      return out;
    }
  }
}

function encodeHeaders(headers: Record<string, HeaderValue>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    parts.push(Buffer.from([nameBytes.length]), nameBytes, encodeHeaderValue(value));
  }
  return Buffer.concat(parts);
}

/** Encodes one event-stream message with valid prelude and message CRCs. */
export function encodeEventStreamMessage(message: EventStreamMessage): Buffer {
  const headers = encodeHeaders(message.headers);
  const total = PRELUDE_LENGTH + headers.length + message.payload.length + MESSAGE_CRC_LENGTH;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headers.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headers.copy(out, PRELUDE_LENGTH);
  message.payload.copy(out, PRELUDE_LENGTH + headers.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - MESSAGE_CRC_LENGTH)), total - MESSAGE_CRC_LENGTH);
  return out;
}

/** A Kiro JSON event (`:message-type: event`). */
export function encodeKiroEvent(eventType: string, payload: unknown): Buffer {
  return encodeEventStreamMessage({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    payload: Buffer.from(JSON.stringify(payload), 'utf8'),
  });
}

/** A modeled exception frame (`:message-type: exception`), as the upstream sends mid-stream. */
export function encodeKiroException(exceptionType: string, payload: unknown): Buffer {
  return encodeEventStreamMessage({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    payload: Buffer.from(JSON.stringify(payload), 'utf8'),
  });
}
