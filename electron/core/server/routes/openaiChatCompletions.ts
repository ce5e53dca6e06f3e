/** `POST /v1/chat/completions`: OpenAI's Chat Completions, turned into an Anthropic-shaped request. */
import { openaiChatRequestSchema, type OpenAIChatRequest } from '../../translate/openaiRequest.ts';
import { openaiToAnthropic } from '../../translate/openaiToAnthropic.ts';
import { createOpenAIChunkWriter } from '../../translate/openaiChunks.ts';
import { buildOpenAICompletion } from '../../translate/openaiCompletion.ts';
import { sessionKeyOf, type RouteContext } from './routeContext.ts';
import { turnRoute, type AskedTurn, type TurnDialect } from './turnRoute.ts';
import { randomId } from '../randomId.ts';

function chatCompletions(context: RouteContext): TurnDialect<OpenAIChatRequest, AskedTurn> {
  return {
    dialect: 'openai',
    schema: openaiChatRequestSchema,
    toolIdPrefix: 'call_',
    ask: (request, req) => ({
      anthropicRequest: openaiToAnthropic(request),
      sessionKey: sessionKeyOf(req, request.user),
    }),
    answer: (request) => {
      const id = randomId('chatcmpl-');
      const created = Math.floor(context.turnDeps.clock.now() / 1000);
      const includeUsage = request.stream_options?.include_usage === true;
      return {
        writer: () => createOpenAIChunkWriter({ id, model: request.model, created, includeUsage }),
        buildJson: (events) => buildOpenAICompletion(events, { id, model: request.model, created }),
      };
    },
  };
}

export function openaiChatCompletionsRoute(context: RouteContext) {
  return turnRoute(context, chatCompletions(context));
}
