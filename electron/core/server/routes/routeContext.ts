import type { Request, Response } from 'express';
import type { CacheRequest, ResponseCache } from '../../cache/responseCache.ts';
import type { ModelCatalogue } from '../../cache/modelCatalogue.ts';
import type { Logger } from '../../ports.ts';
import type { TurnDeps } from '../runTurn.ts';
import type { RequestRecord } from '../turn/requestRecord.ts';
import type { AnthropicRequest } from '../../translate/anthropicRequest.ts';
import type { TranslateOptions } from '../../translate/anthropicToKiro.ts';
import type { InputTokenParts } from '../../translate/countTokens.ts';
import { authenticatedClientOf } from '../clientKeyAuth.ts';
import { randomId } from '../randomId.ts';

export interface ServerSettings {
  /** Client model id → Kiro modelId, consulted before the built-in mapping. */
  modelAliases: Record<string, string>;
}

/** What every route needs; assembled once by createApp. */
export interface RouteContext {
  turnDeps: TurnDeps;
  settings: ServerSettings;
  logger: Logger;
  version: string;
  startedAt: number;
  recordRequest(req: Request, record: RequestRecord): void;
  /** Identical requests answered once (absent: every request goes to Kiro). */
  responseCache?: ResponseCache;
  /** Kiro's model list for /v1/models (absent: the built-in list). */
  models?: ModelCatalogue;
}

/**
 * How every route translates: the user's aliases, Kiro's input limits per model (read from the catalogue, which
 * answers from its cache), and the calibrated input figure.
 */
export async function translateOptionsOf(context: RouteContext, req?: Request): Promise<TranslateOptions> {
  const calibration = context.turnDeps.calibration;
  const beta = req?.headers['anthropic-beta'];
  return {
    modelAliases: context.settings.modelAliases,
    ...(typeof beta === 'string' && /(^|,)\s*context-1m-/.test(beta) && { oneMillionContext: true }),
    ...(context.models !== undefined && { modelLimits: await context.models.limits() }),
    ...(calibration !== undefined && {
      inputTokens: (modelId: string, parts: InputTokenParts) => calibration.estimate(modelId, parts),
    }),
  };
}

/**
 * What identifies one client conversation: Claude Code's session header, else the request's user/metadata id.
 * Keeps a conversation on one account (upstream prompt caching is per account), and cached answers within it.
 */
export function sessionKeyOf(req: Request, userId: string | undefined): string | undefined {
  const header = req.headers['x-claude-code-session-id'];
  if (typeof header === 'string' && header.length > 0) return header;
  return userId && userId.length > 0 ? userId : undefined;
}

/**
 * What the response cache needs of a request: its scope (the session, and the client key it was authenticated
 * with) and how tool call ids look in the client's dialect (`toolu_`, `call_`).
 */
export function cacheRequestOf(
  res: Response,
  asked: { request: AnthropicRequest; modelId: string; sessionKey: string | undefined },
  toolIdPrefix: string,
): CacheRequest {
  return {
    request: asked.request,
    modelId: asked.modelId,
    scope: { client: authenticatedClientOf(res), session: asked.sessionKey },
    newToolId: () => randomId(toolIdPrefix),
  };
}
