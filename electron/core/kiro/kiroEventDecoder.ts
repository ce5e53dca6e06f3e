/**
 * Maps event-stream messages to typed Kiro events (docs/upstream/event-stream.md §2–4). Field types are checked: a
 * present field of the wrong type is corruption, an absent optional field takes its documented default.
 */
import { EventStreamDecoder, type EventStreamDecoderOptions } from './eventStreamDecoder.ts';
import type { EventStreamMessage } from './eventStreamFrame.ts';
import type { KiroEvent, KiroTokenUsage } from './kiroEvents.ts';
import { UpstreamError } from './upstreamError.ts';

type JsonObject = Record<string, unknown>;

export interface KiroEventDecoder {
  /** Every Kiro event completed by `chunk`. */
  push(chunk: Uint8Array): KiroEvent[];
  /** Throws if the stream stopped inside a frame. */
  end(): void;
}

export function createKiroEventDecoder(options: EventStreamDecoderOptions = {}): KiroEventDecoder {
  const frames = new EventStreamDecoder(options);
  return {
    push(chunk) {
      const messages = frames.push(chunk);
      const events = new Array<KiroEvent>(messages.length);
      for (let i = 0; i < messages.length; i++) events[i] = decodeKiroEvent(messages[i]!);
      return events;
    },
    end() {
      frames.end();
    },
  };
}

export function decodeKiroEvent(message: EventStreamMessage): KiroEvent {
  const messageType = stringHeader(message, ':message-type');
  switch (messageType) {
    case 'event': {
      const eventType = stringHeader(message, ':event-type');
      if (eventType === undefined) throw corrupt('an event frame has no :event-type header');
      return decodeEvent(eventType, message);
    }
    case 'exception':
    case 'error':
      return decodeException(messageType, message);
    default:
      throw corrupt(`unknown :message-type ${JSON.stringify(messageType ?? null)}`);
  }
}

function decodeEvent(eventType: string, message: EventStreamMessage): KiroEvent {
  switch (eventType) {
    case 'assistantResponseEvent':
      return {
        type: 'assistantResponse',
        content: optionalString(parsePayload(eventType, message), 'content') ?? '',
      };
    case 'toolUseEvent':
      return decodeToolUse(parsePayload(eventType, message));
    case 'reasoningContentEvent':
      return decodeReasoning(parsePayload(eventType, message));
    case 'meteringEvent': {
      const payload = parsePayload(eventType, message);
      const unit = optionalString(payload, 'unit');
      const usage = requiredNumber(payload, 'usage', eventType);
      return unit === undefined ? { type: 'metering', usage } : { type: 'metering', usage, unit };
    }
    case 'contextUsageEvent': {
      const payload = parsePayload(eventType, message);
      return {
        type: 'contextUsage',
        contextUsagePercentage: requiredNumber(payload, 'contextUsagePercentage', eventType),
      };
    }
    case 'metadataEvent':
    case 'messageMetadataEvent':
      return decodeMetadata(parsePayload(eventType, message));
    default:
      return { type: 'unknown', eventType };
  }
}

function decodeToolUse(payload: JsonObject): KiroEvent {
  return {
    type: 'toolUse',
    toolUseId: optionalString(payload, 'toolUseId') ?? '',
    name: optionalString(payload, 'name') ?? '',
    input: toolInput(payload.input),
    stop: optionalBoolean(payload, 'stop') ?? false,
  };
}

/** Input is normally a JSON text fragment; some streams send the arguments as an object, or `{}` to open. */
function toolInput(input: unknown): string {
  if (input === undefined || input === null) return '';
  if (typeof input === 'string') return input;
  if (typeof input !== 'object') throw corrupt(`toolUseEvent input is a ${typeof input}`);
  if (!Array.isArray(input) && Object.keys(input).length === 0) return '';
  return JSON.stringify(input);
}

function decodeReasoning(payload: JsonObject): KiroEvent {
  const event: KiroEvent & { type: 'reasoningContent' } = { type: 'reasoningContent' };
  const text = optionalString(payload, 'text');
  const signature = optionalString(payload, 'signature');
  const redactedContent = optionalString(payload, 'redactedContent');
  if (text !== undefined) event.text = text;
  if (signature !== undefined) event.signature = signature;
  if (redactedContent !== undefined) event.redactedContent = redactedContent;
  return event;
}

const TOKEN_USAGE_FIELDS = [
  'uncachedInputTokens',
  'outputTokens',
  'totalTokens',
  'cacheReadInputTokens',
  'cacheWriteInputTokens',
] as const;

function decodeMetadata(payload: JsonObject): KiroEvent {
  const event: KiroEvent & { type: 'metadata' } = { type: 'metadata' };
  const rawUsage = payload.tokenUsage;
  if (rawUsage !== undefined && rawUsage !== null) {
    if (!isJsonObject(rawUsage)) throw corrupt('metadata tokenUsage is not an object');
    const tokenUsage: KiroTokenUsage = {};
    for (const field of TOKEN_USAGE_FIELDS) {
      const value = optionalNumber(rawUsage, field);
      if (value !== undefined) tokenUsage[field] = value;
    }
    event.tokenUsage = tokenUsage;
  }
  const stopReason = optionalString(payload, 'stopReason');
  if (stopReason !== undefined) event.stopReason = stopReason;
  return event;
}

/** Exception frames name the failure in a header; `error` frames use :error-code / :error-message. */
function decodeException(messageType: 'exception' | 'error', message: EventStreamMessage): KiroEvent {
  const payload = message.payload.length === 0 ? {} : parsePayload(messageType, message);
  const typeHeader = messageType === 'exception' ? ':exception-type' : ':error-code';
  const exceptionType = stringHeader(message, typeHeader) ?? awsErrorType(payload) ?? 'UnknownError';
  const text = optionalString(payload, 'message') ?? stringHeader(message, ':error-message') ?? exceptionType;
  const reason = optionalString(payload, 'reason');
  return reason === undefined
    ? { type: 'exception', exceptionType, message: text }
    : { type: 'exception', exceptionType, message: text, reason };
}

/** `__type` may be qualified (`com.amazon…#ThrottlingException`) or suffixed (`…:http://…`). */
function awsErrorType(payload: JsonObject): string | undefined {
  const raw = optionalString(payload, '__type');
  if (raw === undefined) return undefined;
  return raw.slice(raw.lastIndexOf('#') + 1).split(':')[0] || undefined;
}

function parsePayload(what: string, message: EventStreamMessage): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.payload.toString('utf8'));
  } catch (error) {
    throw corrupt(`${what} payload of ${message.payload.length} bytes is not JSON`, error);
  }
  if (!isJsonObject(parsed)) throw corrupt(`${what} payload is not a JSON object`);
  return parsed;
}

function stringHeader(message: EventStreamMessage, name: string): string | undefined {
  const header = message.headers[name];
  return header?.type === 'string' ? header.value : undefined;
}

function optionalString(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw corrupt(`field "${key}" is a ${typeof value}, expected a string`);
  return value;
}

function optionalBoolean(object: JsonObject, key: string): boolean | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw corrupt(`field "${key}" is a ${typeof value}, expected a boolean`);
  return value;
}

function optionalNumber(object: JsonObject, key: string): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw corrupt(`field "${key}" is a ${typeof value}, expected a number`);
  return value;
}

function requiredNumber(object: JsonObject, key: string, eventType: string): number {
  const value = optionalNumber(object, key);
  if (value === undefined) throw corrupt(`${eventType} has no "${key}"`);
  return value;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function corrupt(detail: string, cause?: unknown): UpstreamError {
  return new UpstreamError('stream_corrupt', `Malformed Kiro event: ${detail}`, { cause });
}
