import type { Request, Response } from 'express';
import { anthropicRequestSchema, type AnthropicRequest } from '../../translate/anthropicRequest.ts';
import { translateAnthropicRequest } from '../../translate/anthropicToKiro.ts';
import { createAnthropicSseWriter } from '../../translate/anthropicSse.ts';
import { buildAnthropicMessage } from '../../translate/anthropicMessage.ts';
import { sendClientError } from '../apiDialect.ts';
import { serveTurn } from '../serveTurn.ts';
import { validateBody } from '../validateBody.ts';
import { cacheRequestOf, sessionKeyOf, translateOptionsOf, type RouteContext } from './routeContext.ts';
import { planTurn, type TurnPlan } from './turnPlan.ts';
import { randomId } from '../randomId.ts';

export function anthropicMessagesRoute(context: RouteContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const started = context.turnDeps.clock.monotonicNow();
    let request: AnthropicRequest;
    let plan: TurnPlan;
    let sessionKey: string | undefined;
    try {
      request = validateBody(anthropicRequestSchema, req.body);
      sessionKey = sessionKeyOf(req, request.metadata?.user_id);
      plan = await planTurn(context, request, { sessionKey, req });
    } catch (error) {
      const { status } = sendClientError(res, 'anthropic', error);
      context.recordRequest(req, { status, started, error });
      return;
    }
    const { translation } = plan;
    const messageId = randomId('msg_');
    const outcome = await serveTurn(context.turnDeps, req, res, {
      dialect: 'anthropic',
      translation,
      sessionKey,
      run: plan.run,
      stream: request.stream === true,
      renderer: () => {
        const writer = createAnthropicSseWriter({
          messageId,
          model: request.model,
          inputTokens: translation.estimatedInputTokens,
        });
        return {
          begin: () => writer.start(),
          render: (event) => writer.write(event),
          fail: (error) => writer.error(error),
          end: () => '',
        };
      },
      buildJson: (events) => buildAnthropicMessage(events, { messageId, model: request.model }),
      responseCache: context.responseCache,
      cacheRequest: cacheRequestOf(res, { request, modelId: translation.modelId, sessionKey }, 'toolu_'),
    });
    context.recordRequest(req, { ...outcome, started, model: request.model, modelId: translation.modelId });
  };
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
