/**
 * How a route's Anthropic-shaped request is served: its Kiro translation (native reasoning where the model takes
 * it, docs/native-reasoning.md) and, when it offers the web search server tool, the search loop that runs it
 * (docs/web-search.md). Shared by the Anthropic, Chat Completions and Responses routes.
 */
import type { AnthropicRequest } from '../../translate/anthropicRequest.ts';
import {
  translateAnthropicRequest,
  type KiroTranslation,
  type TranslateOptions,
} from '../../translate/anthropicToKiro.ts';
import { builtInReasoningSupport, type ReasoningLookup } from '../../translate/nativeReasoning.ts';
import { webSearchConfigOf } from '../../translate/webSearchTool.ts';
import type { TurnSink } from '../turn/turnSink.ts';
import { webSearchTurnRunner } from '../webSearchTurn.ts';
import type { Request } from 'express';
import { translateOptionsOf, type RouteContext } from './routeContext.ts';

/** Only a request that asks for thinking needs Kiro's model list (fetched at most every five minutes). */
function wantsThinking(request: AnthropicRequest): boolean {
  return request.thinking?.type === 'enabled' || request.thinking?.type === 'adaptive';
}

function reasoningLookup(context: RouteContext): Promise<ReasoningLookup> {
  return context.models ? context.models.reasoningSupport() : Promise.resolve(builtInReasoningSupport);
}

export interface TurnPlan {
  translation: KiroTranslation;
  /** Present for web search turns (which bypass the response cache). */
  run?: (sink: TurnSink, signal: AbortSignal) => Promise<void>;
}

/** Throws RequestError (the client's 400) when the request cannot be sent to Kiro. */
export async function planTurn(
  context: RouteContext,
  request: AnthropicRequest,
  extra: { sessionKey?: string; conversationId?: string; req?: Request } = {},
): Promise<TurnPlan> {
  const webSearch = webSearchConfigOf(request);
  const options: TranslateOptions = {
    ...(await translateOptionsOf(context, extra.req)),
    ...(wantsThinking(request) ? { reasoning: await reasoningLookup(context) } : {}),
    ...(webSearch ? { webSearch } : {}),
    ...(extra.conversationId !== undefined ? { conversationId: extra.conversationId } : {}),
  };
  const translation = translateAnthropicRequest(request, options);
  if (!webSearch) return { translation };
  const run = webSearchTurnRunner(context.turnDeps, {
    request,
    config: webSearch,
    translation,
    translate: (next) => translateAnthropicRequest(next, options),
    sessionKey: extra.sessionKey,
  });
  return { translation, run };
}
