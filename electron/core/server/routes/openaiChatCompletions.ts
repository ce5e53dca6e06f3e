import type { Request, Response } from 'express';
import { openaiChatRequestSchema, type OpenAIChatRequest } from '../../translate/openaiRequest.ts';
import { openaiToAnthropic } from '../../translate/openaiToAnthropic.ts';
import { translateAnthropicRequest } from '../../translate/anthropicToKiro.ts';
import { createOpenAIChunkWriter } from '../../translate/openaiChunks.ts';
import { buildOpenAICompletion } from '../../translate/openaiCompletion.ts';
import { sendClientError } from '../apiDialect.ts';
import { serveTurn } from '../serveTurn.ts';
import { validateBody } from '../validateBody.ts';
import { cacheRequestOf, sessionKeyOf, translateOptionsOf, type RouteContext } from './routeContext.ts';
import { randomId } from '../randomId.ts';

export function openaiChatCompletionsRoute(context: RouteContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const started = context.turnDeps.clock.monotonicNow();
    let request: OpenAIChatRequest;
    let anthropicRequest;
    let translation;
    try {
      request = validateBody(openaiChatRequestSchema, req.body);
      anthropicRequest = openaiToAnthropic(request);
      translation = translateAnthropicRequest(anthropicRequest, await translateOptionsOf(context));
    } catch (error) {
      const { status } = sendClientError(res, 'openai', error);
      context.recordRequest(req, { status, started, error });
      return;
    }
    const id = randomId('chatcmpl-');
    const created = Math.floor(context.turnDeps.clock.now() / 1000);
    const includeUsage = request.stream_options?.include_usage === true;
    const sessionKey = sessionKeyOf(req, request.user);
    const outcome = await serveTurn(context.turnDeps, req, res, {
      dialect: 'openai',
      translation,
      sessionKey,
      stream: request.stream === true,
      renderer: () => {
        const writer = createOpenAIChunkWriter({ id, model: request.model, created, includeUsage });
        return {
          begin: () => '',
          render: (event) => writer.write(event),
          fail: (error) => writer.error(error),
          end: () => writer.done(),
        };
      },
      buildJson: (events) => buildOpenAICompletion(events, { id, model: request.model, created }),
      responseCache: context.responseCache,
      cacheRequest: cacheRequestOf(
        res,
        { request: anthropicRequest, modelId: translation.modelId, sessionKey },
        'call_',
      ),
    });
    context.recordRequest(req, { ...outcome, started, model: request.model, modelId: translation.modelId });
  };
}
