import { describe, expect, it } from 'vitest';
import { classifyUpstreamError, parseRetryAfter } from '../../electron/core/kiro/classifyUpstreamError.ts';

const NOW = Date.parse('2026-11-22T00:00:00Z');

function classify(status: number, body: unknown, headers: Record<string, string> = {}) {
  return classifyUpstreamError(status, typeof body === 'string' ? body : JSON.stringify(body), headers, NOW);
}

describe('classifyUpstreamError', () => {
  it.each([
    [400, { message: 'Improperly formed request.', reason: null }, 'invalid_request', false],
    [
      400,
      { message: 'Input is too long.', reason: 'CONTENT_LENGTH_EXCEEDS_THRESHOLD' },
      'context_too_long',
      false,
    ],
    [
      403,
      { message: 'The bearer token included in the request is invalid.', reason: null },
      'invalid_token',
      false,
    ],
    [401, { message: 'Unauthorized' }, 'invalid_token', false],
    [
      403,
      { message: 'Your User ID (abc) temporarily is suspended due to unusual activity.' },
      'suspended',
      false,
    ],
    [
      402,
      { message: 'You have reached the limit.', reason: 'MONTHLY_REQUEST_COUNT' },
      'quota_exhausted',
      false,
    ],
    [
      429,
      {
        __type: 'ThrottlingException',
        message: 'Maximum Request reached for this month.',
        reason: 'MONTHLY_REQUEST_COUNT',
      },
      'quota_exhausted',
      false,
    ],
    [429, { message: 'Too many requests', reason: 'SERVICE_REQUEST_RATE_EXCEEDED' }, 'rate_limited', true],
    [
      500,
      { message: 'Encountered unexpectedly high load when processing the request, please try again.' },
      'server_error',
      true,
    ],
    [503, '<html>Service Unavailable</html>', 'server_error', true],
  ] as const)('HTTP %i %j → %s', (status, body, kind, retryable) => {
    const error = classify(status, body);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
  });

  it('reads a reason nested under error', () => {
    expect(classify(402, { error: { reason: 'MONTHLY_REQUEST_COUNT' } }).reason).toBe(
      'MONTHLY_REQUEST_COUNT',
    );
  });

  it('takes the error type from x-amzn-ErrorType without namespace and suffix', () => {
    const error = classify(400, '{}', {
      'x-amzn-errortype': 'com.amazon.aws#ValidationException:http://internal',
    });
    expect(error.reason).toBe('ValidationException');
  });

  it('carries Retry-After in milliseconds', () => {
    expect(classify(429, { message: 'slow down' }, { 'retry-after': '2' }).retryAfterMs).toBe(2000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3000);
    expect(parseRetryAfter('0.5', NOW)).toBe(500);
    expect(parseRetryAfter(new Date(NOW + 7000).toUTCString(), NOW)).toBe(7000);
    expect(parseRetryAfter(new Date(NOW - 7000).toUTCString(), NOW)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });
});
