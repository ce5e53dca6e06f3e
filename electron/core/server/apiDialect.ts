import type { Response } from 'express';
import { anthropicErrorBody, openaiErrorBody, toClientError, type ClientError } from './clientErrors.ts';

/** Which API a route speaks decides the shape of its errors. */
export type ApiDialect = 'anthropic' | 'openai';

export function sendClientError(res: Response, dialect: ApiDialect, error: unknown): ClientError {
  const clientError = toClientError(error);
  if (clientError.retryAfterSeconds !== undefined)
    res.setHeader('retry-after', String(clientError.retryAfterSeconds));
  res
    .status(clientError.status)
    .json(dialect === 'anthropic' ? anthropicErrorBody(clientError) : openaiErrorBody(clientError));
  return clientError;
}
