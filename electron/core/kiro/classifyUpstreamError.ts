import { asJsonObject, parseJsonObject } from '../json/parseJsonObject.ts';
import { boundedRetryAfterMs } from '../time/outsideTime.ts';
import { UpstreamError } from './upstreamError.ts';

/**
 * Turns a non-200 answer from Kiro into a typed error (docs/upstream/errors.md §1). The body is JSON
 * `{message, reason}` (awsJson errors add `__type`), but proxies and load balancers may answer with anything,
 * so every field is optional and the raw text is kept in the message.
 */
export function classifyUpstreamError(
  status: number,
  bodyText: string,
  headers: Record<string, string | string[] | undefined>,
  nowMs: number,
): UpstreamError {
  const body = parseJsonObject(bodyText);
  const message = stringField(body, 'message') ?? stringField(body, 'Message') ?? bodyText.slice(0, 500);
  const reason =
    stringField(body, 'reason') ??
    stringField(asJsonObject(body?.['error']), 'reason') ??
    errorType(body, headers);
  const retryAfterMs = parseRetryAfter(headerValue(headers['retry-after']), nowMs);
  const options = { status, reason, retryAfterMs };
  const text = `${message} ${reason ?? ''}`;

  if (/MONTHLY_REQUEST_COUNT|OVERAGE_REQUEST_LIMIT_EXCEEDED/.test(text) || status === 402) {
    return new UpstreamError('quota_exhausted', `Kiro quota exhausted: ${message}`, options);
  }
  if (status === 400 && /Input is too long|CONTENT_LENGTH_EXCEEDS_THRESHOLD/i.test(text)) {
    return new UpstreamError('context_too_long', message, options);
  }
  if (status === 403 && /suspended/i.test(text)) {
    return new UpstreamError('suspended', message, options);
  }
  if (status === 401 || (status === 403 && /bearer token|invalid|expired/i.test(text))) {
    return new UpstreamError('invalid_token', message, options);
  }
  if (status === 429) return new UpstreamError('rate_limited', message, options);
  if (status === 408 || status >= 500) return new UpstreamError('server_error', message, options);
  return new UpstreamError('invalid_request', message || `HTTP ${status}`, options);
}

/**
 * Retry-After as seconds or an HTTP-date, in milliseconds from now (bounded: outsideTime.ts); undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return boundedRetryAfterMs(Number(trimmed) * 1000);
  // An HTTP-date starts with the day's name; anything else (a negative number…) is no Retry-After.
  const date = /^[A-Za-z]/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(date) ? undefined : boundedRetryAfterMs(Math.max(0, date - nowMs));
}

function errorType(
  body: Record<string, unknown> | undefined,
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  // "com.amazon…#ThrottlingException:http://…" → "ThrottlingException"
  const raw =
    headerValue(headers['x-amzn-errortype']) ?? stringField(body, '__type') ?? stringField(body, 'code');
  return raw?.replace(/^.*#/, '').replace(/:.*$/, '') || undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function stringField(object: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The HTTP status an AWS exception type stands for when it arrives as an `exception` frame inside a 200
 * stream (the Smithy error shapes: docs/kiro-failures.md), so that a frame and an HTTP answer saying the same
 * thing are classified alike.
 */
const STATUS_OF_EXCEPTION: Record<string, number> = {
  ThrottlingException: 429,
  ServiceQuotaExceededException: 402,
  ValidationException: 400,
  ContentLengthExceededException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 400,
  ConflictException: 400,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

/** An in-stream exception as an UpstreamError: like the HTTP error it stands for, else `stream_exception`. */
export function classifyStreamException(
  exceptionType: string,
  message: string,
  reason: string | undefined,
): UpstreamError {
  const text = message || exceptionType;
  const tooLong =
    exceptionType === 'ContentLengthExceededException' ||
    /input is too long|CONTENT_LENGTH_EXCEEDS_THRESHOLD/i.test(`${message} ${reason ?? ''}`);
  if (tooLong) return new UpstreamError('context_too_long', text, { reason });
  const status = STATUS_OF_EXCEPTION[exceptionType];
  const body = JSON.stringify({ message: text, reason, __type: exceptionType });
  const classified = status === undefined ? undefined : classifyUpstreamError(status, body, {}, 0);
  // A server failure inside the stream stays `stream_exception`: worth a retry only before any output.
  if (classified === undefined || classified.kind === 'server_error') {
    return new UpstreamError('stream_exception', text, { reason });
  }
  return new UpstreamError(classified.kind, classified.message, { reason: classified.reason });
}
