/**
 * A client request Kiro Dock cannot turn into a valid upstream request. Always a 400 in the client's API shape,
 * with a message that says what to change.
 */
export class RequestError extends Error {
  readonly status: number;
  /** Anthropic error type; the OpenAI shape maps it to `invalid_request_error` too. */
  readonly errorType:
    'invalid_request_error' | 'not_found_error' | 'request_too_large' | 'authentication_error';

  constructor(message: string, errorType: RequestError['errorType'] = 'invalid_request_error', status = 400) {
    super(message);
    this.name = 'RequestError';
    this.errorType = errorType;
    this.status = status;
  }
}
