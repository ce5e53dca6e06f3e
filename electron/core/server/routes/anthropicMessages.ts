import type { Request, Response } from 'express';
import { anthropicRequestSchema, type AnthropicRequest } from '../../translate/anthropicRequest.ts';
import { translateAnthropicRequest } from '../../translate/anthropicToKiro.ts';
import { createAnthropicSseWriter } from '../../translate/anthropicSse.ts';
import { buildAnthropicMessage } from '../../translate/anthropicMessage.ts';
import { sendClientError } from '../apiDialect.ts';
import { validateBody } from '../validateBody.ts';
import { sessionKeyOf, translateOptionsOf, type RouteContext } from './routeContext.ts';
import { turnRoute, type AskedTurn, type TurnDialect } from './turnRoute.ts';
import { randomId } from '../randomId.ts';

/** `POST /v1/messages`: the request is already in Anthropic's shape. */
const anthropicMessages: TurnDialect<AnthropicRequest, AskedTurn> = {
  dialect: 'anthropic',
  schema: anthropicRequestSchema,
  toolIdPrefix: 'toolu_',
  ask: (request, req) => {
    const sessionKey = sessionKeyOf(req, request.metadata?.user_id);
    return { anthropicRequest: request, sessionKey, planning: { sessionKey, req } };
  },
  answer: (request, _asked, translation) => {
    const messageId = randomId('msg_');
    return {
      writer: () =>
        createAnthropicSseWriter({
          messageId,
          model: request.model,
          inputTokens: translation.estimatedInputTokens,
        }),
      buildJson: (events) => buildAnthropicMessage(events, { messageId, model: request.model }),
    };
  },
};

export function anthropicMessagesRoute(context: RouteContext) {
  return turnRoute(context, anthropicMessages);
}

export function anthropicCountTokensRoute(context: RouteContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const started = context.turnDeps.clock.monotonicNow();
    try {
      const request = validateBody(anthropicRequestSchema, req.body);
      // The same translation as /v1/messages: the same figure, and an unknown model the same clear 400.
      const options = { ...(await translateOptionsOf(context, req)), countOnly: true };
      res.json({ input_tokens: translateAnthropicRequest(request, options).estimatedInputTokens });
      context.recordRequest(req, { status: 200, started, model: request.model });
    } catch (error) {
      const { status } = sendClientError(res, 'anthropic', error);
      context.recordRequest(req, { status, started, error });
    }
  };
}
