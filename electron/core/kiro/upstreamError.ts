/**
 * Every way a call to Kiro can fail, classified once (docs/upstream/errors.md) so that retry, failover and the
 * client-facing error are decided from a kind, never from string matching scattered through the code.
 */

export type UpstreamErrorKind =
  /** 400 "Improperly formed request." and other non-retryable request errors. */
  | 'invalid_request'
  /** 400 "Input is too long." / CONTENT_LENGTH_EXCEEDS_THRESHOLD, or an in-stream ContentLengthExceededException. */
  | 'context_too_long'
  /** 403 "The bearer token included in the request is invalid", 401: refresh and retry once. */
  | 'invalid_token'
  /** 403 "temporarily is suspended". */
  | 'suspended'
  /** 402 or 429 with MONTHLY_REQUEST_COUNT / OVERAGE_REQUEST_LIMIT_EXCEEDED: the account is out of quota. */
  | 'quota_exhausted'
  /** 429 throttling: retry later, honouring Retry-After. */
  | 'rate_limited'
  /** 5xx, 408: retryable. */
  | 'server_error'
  /** Refresh endpoint said the refresh token is dead (invalid_grant). */
  | 'refresh_rejected'
  /** Socket errors, DNS, resets before a response. */
  | 'network'
  /** A phase timed out (connect, first event, idle gap). */
  | 'timeout'
  /** Bytes that are not a valid event stream (bad CRC, impossible lengths). */
  | 'stream_corrupt'
  /** The stream ended early: socket cut, or a tool call never closed. */
  | 'stream_truncated'
  /** An `exception` / `error` frame arrived mid-stream. */
  | 'stream_exception';

export interface UpstreamErrorOptions {
  status?: number;
  reason?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

export class UpstreamError extends Error {
  readonly kind: UpstreamErrorKind;
  /** HTTP status from the upstream, when there was a response. */
  readonly status: number | undefined;
  /** The upstream's `reason` field (e.g. MONTHLY_REQUEST_COUNT), when given. */
  readonly reason: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: UpstreamErrorKind, message: string, options: UpstreamErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UpstreamError';
    this.kind = kind;
    this.status = options.status;
    this.reason = options.reason;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Worth another attempt (same or other account) if nothing has reached the client yet. */
  get retryable(): boolean {
    return (
      this.kind === 'rate_limited' ||
      this.kind === 'server_error' ||
      this.kind === 'network' ||
      this.kind === 'timeout' ||
      this.kind === 'stream_truncated'
    );
  }
}
