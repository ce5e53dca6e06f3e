import type { Response } from 'express';
import { anthropicErrorBody, openaiErrorBody, toClientError, type ClientError } from './clientErrors.ts';

/** Which API a route speaks decides the shape of its errors. */
export type ApiDialect = 'anthropic' | 'openai';

/**
 * The dialect of a path: the OpenAI routes, and `/v1/models` (and `/v1/models/{id}`) unless the client names an
 * Anthropic version (both SDKs read models there); everything else answers like Anthropic.
 */
export function dialectOfPath(path: string, anthropicVersion: unknown): ApiDialect {
  if (path.startsWith('/v1/chat/') || path === '/v1/completions' || path.startsWith('/v1/responses'))
    return 'openai';
  const modelsPath = path === '/v1/models' || path.startsWith('/v1/models/');
  if (modelsPath && anthropicVersion === undefined) return 'openai';
  return 'anthropic';
}

/** A client error's body in the dialect's shape. */
export function clientErrorBody(dialect: ApiDialect, clientError: ClientError): object {
  return dialect === 'anthropic' ? anthropicErrorBody(clientError) : openaiErrorBody(clientError);
}

export function sendClientError(res: Response, dialect: ApiDialect, error: unknown): ClientError {
  const clientError = toClientError(error);
  sendDecidedClientError(res, dialect, clientError);
  return clientError;
}

/** Sends an error already decided (for callers that record the request before its answer goes out). */
export function sendDecidedClientError(res: Response, dialect: ApiDialect, clientError: ClientError): void {
  if (clientError.retryAfterSeconds !== undefined)
    res.setHeader('retry-after', String(clientError.retryAfterSeconds));
  if (clientError.retryable === false) res.setHeader('x-should-retry', 'false');
  res.status(clientError.status).json(clientErrorBody(dialect, clientError));
}
