/** A request the daemon (or the one-shot fallback) could not answer; `type` is the daemon's error type. */
export class KiroDockError extends Error {
  constructor(
    /** The daemon's `error.type` (`invalid_request_error`, `rate_limit_error`, …), or one of the client's own. */
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'KiroDockError';
  }
}

/** The daemon died before it finished the answer; with no output yet the client retries it one-shot. */
export const DAEMON_EXITED = 'daemon_exited';

/** The client was closed. */
export const CLIENT_CLOSED = 'client_closed';
