/**
 * One decision of what a failure means to a client — status, error type, message — rendered in either API
 * dialect. Anthropic clients get `{type:"error", error:{type, message}}`; OpenAI clients get
 * `{error:{message, type, param, code}}`.
 */
import { NoAccountAvailableError, PoolSaturatedError } from '../accounts/accountErrors.ts';
import { AccountUnavailableError } from '../accounts/accountUnavailableError.ts';
import { UpstreamError } from '../kiro/upstreamError.ts';
import { RequestError } from '../translate/requestError.ts';
import { KeyRefusal } from '../keys/keyRefusal.ts';
import { SharedStateUnavailableError } from '../redis/redisTeamState.ts';

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

export interface ClientError {
  status: number;
  type: AnthropicErrorType;
  message: string;
  /** OpenAI `code` (e.g. context_length_exceeded, insufficient_quota). */
  code?: string;
  retryAfterSeconds?: number;
  /**
   * false: asking again will not help until the user acts, so clients are told not to retry
   * (`x-should-retry: false`, which the Anthropic and OpenAI SDKs and Claude Code honour). Claude Code retries
   * 5xx and 401 answers for minutes otherwise, and after 529s shows only "the API is at capacity"
   * (docs/claude-code-errors.md).
   */
  retryable?: boolean;
}

/** Waits up to this long are worth a client's retries; beyond it the user has to act or come back later. */
const RETRY_WORTHWHILE_MS = 60_000;

export function toClientError(error: unknown): ClientError {
  if (error instanceof RequestError) {
    // A refused key stays refused: without this Claude Code retries a 401 for minutes, showing nothing.
    const retryable = error.status === 401 || error.status === 403 ? false : undefined;
    return { status: error.status, type: error.errorType, message: error.message, retryable };
  }
  if (error instanceof KeyRefusal) return fromKeyRefusal(error);
  if (error instanceof SharedStateUnavailableError) {
    return {
      status: 503,
      type: 'api_error',
      message: error.message,
      code: 'shared_state_unavailable',
      retryAfterSeconds: 2,
    };
  }
  if (error instanceof NoAccountAvailableError) return fromNoAccount(error);
  if (error instanceof PoolSaturatedError) {
    return {
      status: 429,
      type: 'rate_limit_error',
      message: `Every Kiro account is busy with its maximum of concurrent requests: ${error.message}`,
      retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000),
    };
  }
  if (error instanceof AccountUnavailableError) {
    return { status: 503, type: 'api_error', message: error.message, code: error.problem };
  }
  if (error instanceof UpstreamError) return fromUpstream(error);
  return { status: 500, type: 'api_error', message: 'Internal error in Kiro Dock; see its log.' };
}

/** A team key's own limit: retrying is worth it only when the limit lifts soon (a rate, not a month's budget). */
function fromKeyRefusal(error: KeyRefusal): ClientError {
  const { status, type, message, code, retryAfterSeconds } = error;
  const soon = retryAfterSeconds !== undefined && retryAfterSeconds * 1000 <= RETRY_WORTHWHILE_MS;
  return { status, type, message, code, retryAfterSeconds, retryable: soon ? undefined : false };
}

/**
 * No account can serve: a configuration problem of this proxy, not capacity (529 is for that). 503 with the
 * reason, which Claude Code prints as "API Error: 503 <reason>"; retries only when a cooldown ends soon.
 */
function fromNoAccount(error: NoAccountAvailableError): ClientError {
  const waitMs = error.retryAfterMs;
  const retryable = waitMs !== undefined && waitMs <= RETRY_WORTHWHILE_MS;
  return {
    status: 503,
    type: 'api_error',
    message: error.message,
    code: 'no_account_available',
    retryAfterSeconds: waitMs === undefined ? undefined : Math.ceil(waitMs / 1000),
    retryable,
  };
}

function fromUpstream(error: UpstreamError): ClientError {
  const retryAfterSeconds =
    error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);
  switch (error.kind) {
    case 'invalid_request':
      return {
        status: 400,
        type: 'invalid_request_error',
        message: `Kiro rejected the request: ${error.message}`,
      };
    case 'context_too_long':
      return {
        status: 400,
        type: 'invalid_request_error',
        code: 'context_length_exceeded',
        message: `prompt is too long: Kiro says "${error.message}". Compact the conversation (/compact in Claude Code) or start a new one.`,
      };
    case 'rate_limited':
      return {
        status: 429,
        type: 'rate_limit_error',
        message: `Kiro is rate limiting: ${error.message}`,
        retryAfterSeconds,
      };
    case 'quota_exhausted':
      return { status: 429, type: 'rate_limit_error', code: 'insufficient_quota', message: error.message };
    case 'invalid_token':
    case 'refresh_rejected':
      return {
        status: 503,
        type: 'api_error',
        message: `Kiro rejected the account's token: ${error.message}`,
      };
    case 'suspended':
      return { status: 503, type: 'api_error', message: `The Kiro account is suspended: ${error.message}` };
    case 'timeout':
      return { status: 504, type: 'api_error', message: error.message };
    case 'server_error':
      return {
        status: 529,
        type: 'overloaded_error',
        message: `Kiro failed: ${error.message}`,
        retryAfterSeconds,
      };
    default:
      return { status: 502, type: 'api_error', message: `Kiro failed: ${error.message}` };
  }
}

export function anthropicErrorBody(error: ClientError): object {
  return { type: 'error', error: { type: error.type, message: error.message } };
}

const OPENAI_TYPES: Partial<Record<AnthropicErrorType, string>> = {
  authentication_error: 'authentication_error',
  permission_error: 'permission_error',
  not_found_error: 'invalid_request_error',
  request_too_large: 'invalid_request_error',
  rate_limit_error: 'rate_limit_error',
  invalid_request_error: 'invalid_request_error',
};

export function openaiErrorBody(error: ClientError): object {
  return {
    error: {
      message: error.message,
      type: OPENAI_TYPES[error.type] ?? 'server_error',
      param: null,
      code: error.code ?? null,
    },
  };
}
