/**
 * The one algorithm behind every route that answers with a turn (Anthropic Messages, Chat Completions,
 * Responses): validate the body in the dialect's schema, plan the turn from its Anthropic-shaped request, serve
 * it as a stream or one JSON answer, and put the request on record. The record is made before the answer's last
 * bytes go out, so a client that has its whole answer finds it in the requests log, the usage ledger and its key's
 * spending even if the process dies right then. Each route file keeps only its dialect's parts.
 */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { AnthropicRequest } from '../../translate/anthropicRequest.ts';
import type { KiroTranslation } from '../../translate/anthropicToKiro.ts';
import type { TurnEvent } from '../../translate/turnEvents.ts';
import { sendDecidedClientError, type ApiDialect } from '../apiDialect.ts';
import { toClientError } from '../clientErrors.ts';
import { serveTurn, type StreamWriter, type TurnOutcome } from '../serveTurn.ts';
import { validateBody } from '../validateBody.ts';
import { cacheRequestOf, type RouteContext } from './routeContext.ts';
import { planTurn } from './turnPlan.ts';

/** What every dialect's request has: the model asked for, and whether the answer streams. */
export interface TurnBody {
  model: string;
  stream?: boolean | null;
}

/** A validated request as a turn. */
export interface AskedTurn {
  /** The request in Anthropic's shape: what Kiro's translation and the response cache start from. */
  anthropicRequest: AnthropicRequest;
  /** One client conversation: kept on one account, and the scope of its cached answers. */
  sessionKey: string | undefined;
  /** What planning takes besides the request (the search loop's session, a conversation id, the headers). */
  planning?: Parameters<typeof planTurn>[2];
}

/** How one dialect writes a planned turn back to its client. */
export interface TurnAnswer {
  writer: () => StreamWriter;
  buildJson: (events: TurnEvent[]) => object;
  /** Runs when the turn is over, before it is recorded and before the client has its last bytes. */
  afterTurn?: (outcome: TurnOutcome) => void;
}

/** A refusal a dialect words its own way: its status and the JSON body. */
export interface OwnRefusal {
  status: number;
  body: object;
}

/** A dialect's parts of a turn route. */
export interface TurnDialect<Body extends TurnBody, Asked extends AskedTurn> {
  dialect: ApiDialect;
  schema: z.ZodType<Body>;
  /** How tool call ids look in this dialect (`toolu_`, `call_`), for answers the response cache replays. */
  toolIdPrefix: string;
  /** Throws (a RequestError: the client's 400) when the request cannot be a turn. */
  ask(request: Body, req: Request): Asked;
  answer(request: Body, asked: Asked, translation: KiroTranslation): TurnAnswer;
  /** Absent, or undefined for an error: the dialect's usual error answer. */
  ownRefusal?(error: unknown): OwnRefusal | undefined;
}

export function turnRoute<Body extends TurnBody, Asked extends AskedTurn>(
  context: RouteContext,
  dialect: TurnDialect<Body, Asked>,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const started = context.turnDeps.clock.monotonicNow();
    let request: Body;
    let asked: Asked;
    let plan: Awaited<ReturnType<typeof planTurn>>;
    try {
      request = validateBody(dialect.schema, req.body);
      asked = dialect.ask(request, req);
      plan = await planTurn(context, asked.anthropicRequest, asked.planning);
    } catch (error) {
      refuse(context, dialect, { req, res, started }, error);
      return;
    }
    const { translation } = plan;
    const { sessionKey } = asked;
    const answer = dialect.answer(request, asked, translation);
    await serveTurn(context.turnDeps, req, res, {
      dialect: dialect.dialect,
      translation,
      sessionKey,
      run: plan.run,
      stream: request.stream === true,
      writer: answer.writer,
      buildJson: answer.buildJson,
      responseCache: context.responseCache,
      cacheRequest: cacheRequestOf(
        res,
        { request: asked.anthropicRequest, modelId: translation.modelId, sessionKey },
        dialect.toolIdPrefix,
      ),
      settle: (outcome) => {
        answer.afterTurn?.(outcome);
        context.recordRequest(req, {
          ...outcome,
          started,
          model: request.model,
          modelId: translation.modelId,
        });
      },
    });
  };
}

/** A request that cannot be a turn: recorded, then answered with the client's error. */
function refuse(
  context: RouteContext,
  dialect: Pick<TurnDialect<TurnBody, AskedTurn>, 'dialect' | 'ownRefusal'>,
  request: { req: Request; res: Response; started: number },
  error: unknown,
): void {
  const { req, res, started } = request;
  const own = dialect.ownRefusal?.(error);
  if (own) {
    context.recordRequest(req, { status: own.status, started, error });
    res.status(own.status).json(own.body);
    return;
  }
  const clientError = toClientError(error);
  context.recordRequest(req, { status: clientError.status, started, error });
  sendDecidedClientError(res, dialect.dialect, clientError);
}
