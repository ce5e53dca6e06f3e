/**
 * What Kiro's small JSON answers (refresh, model list) and its network failures mean, as typed values. Kept apart
 * from the client so the client is only about moving bytes.
 */
import { reasoningSupportFromSchema, type ReasoningSupport } from './modelReasoning.ts';
import { UpstreamError } from './upstreamError.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export interface RefreshedToken {
  accessToken: string;
  /** Present when Kiro rotated the refresh token: it must be stored before the access token is used. */
  refreshToken?: string;
  profileArn?: string;
  /** As Kiro sent it: checked and bounded where the expiry is computed (time/outsideTime.ts). */
  expiresInSeconds: unknown;
}

export interface KiroModelInfo {
  /** Kiro's id, e.g. `claude-sonnet-4.5`. */
  modelId: string;
  modelName?: string;
  description?: string;
  maxInputTokens?: number;
  /** Present when the entry advertises native reasoning fields (docs/native-reasoning.md). */
  reasoning?: ReasoningSupport;
  maxOutputTokens?: number;
}

/** The HTTP client's timeout errors, named as the phases a user can set. */
const TIMEOUT_PHASES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'connection (connect timeout)',
  UND_ERR_HEADERS_TIMEOUT: 'response (first-event timeout)',
  UND_ERR_BODY_TIMEOUT: 'complete answer (request timeout)',
};

/** Errors before any response: socket, DNS, connect timeout, abort. */
export function toNetworkError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = errorMessage(error);
  const phase = TIMEOUT_PHASES[code];
  if (phase || code === 'ETIMEDOUT') {
    return new UpstreamError('timeout', `Kiro timed out: no ${phase ?? 'connection'} in time (${message})`, {
      cause: error,
    });
  }
  // undici wraps socket-level failures; the cause names what happened (ECONNREFUSED, ENOTFOUND…).
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ? `${message} (${cause.code})` : message;
  return new UpstreamError('network', `Cannot reach Kiro: ${detail}`, { cause: error });
}

export function toModelPage(answer: unknown): { models: KiroModelInfo[]; nextToken?: string } {
  const object = (answer ?? {}) as Record<string, unknown>;
  const entries = Array.isArray(object['models']) ? (object['models'] as unknown[]) : [];
  const models: KiroModelInfo[] = [];
  for (const entry of entries) {
    const model = (entry ?? {}) as Record<string, unknown>;
    if (typeof model['modelId'] !== 'string' || model['modelId'].length === 0) continue;
    const limits = (model['tokenLimits'] ?? {}) as Record<string, unknown>;
    models.push({
      modelId: model['modelId'],
      modelName: typeof model['modelName'] === 'string' ? model['modelName'] : undefined,
      description: typeof model['description'] === 'string' ? model['description'] : undefined,
      maxInputTokens: positiveNumber(limits['maxInputTokens']),
      maxOutputTokens: positiveNumber(limits['maxOutputTokens']),
      ...reasoningOf(model),
    });
  }
  const nextToken =
    typeof object['nextToken'] === 'string' && object['nextToken'] ? object['nextToken'] : undefined;
  return { models, nextToken };
}

function reasoningOf(model: Record<string, unknown>): { reasoning?: ReasoningSupport } {
  const reasoning = reasoningSupportFromSchema(model['additionalModelRequestFieldsSchema']);
  return reasoning === undefined ? {} : { reasoning };
}

function positiveNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

export function toRefreshedToken(answer: unknown): RefreshedToken {
  const object = (answer ?? {}) as Record<string, unknown>;
  if (typeof object['accessToken'] !== 'string' || object['accessToken'].length === 0) {
    throw new UpstreamError('server_error', 'Refresh answer has no accessToken');
  }
  return {
    accessToken: object['accessToken'],
    refreshToken: typeof object['refreshToken'] === 'string' ? object['refreshToken'] : undefined,
    profileArn: typeof object['profileArn'] === 'string' ? object['profileArn'] : undefined,
    expiresInSeconds: object['expiresIn'],
  };
}
