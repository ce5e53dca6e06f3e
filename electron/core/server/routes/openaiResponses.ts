/**
 * `POST /v1/responses`: the OpenAI Responses API (what the Codex CLI speaks), served by the same turn machinery
 * as the other routes. The conversations behind response ids live in a bounded memory store for
 * `previous_response_id`; Kiro itself is stateless, so each turn sends the whole conversation.
 */
import type { Request, Response } from 'express';
import { translateAnthropicRequest, type TranslateOptions } from '../../translate/anthropicToKiro.ts';
import { RequestError } from '../../translate/requestError.ts';
import { responsesOutputAsInput, type ResponsesEcho } from '../../translate/responsesObject.ts';
import {
  responsesRequestSchema,
  type ResponsesInputItem,
  type ResponsesRequest,
} from '../../translate/responsesRequest.ts';
import {
  buildResponsesResponse,
  createResponsesStreamWriter,
  type ResponsesStreamOptions,
} from '../../translate/responsesStream.ts';
import { responsesInputItems, responsesToAnthropic } from '../../translate/responsesToAnthropic.ts';
import type { ClientError } from '../clientErrors.ts';
import { openaiErrorBody } from '../clientErrors.ts';
import { sendClientError } from '../apiDialect.ts';
import { randomId } from '../randomId.ts';
import { createResponseStore, RESPONSE_STORE_LIMITS, type ResponseStore } from '../responseStore.ts';
import { serveTurn, type StreamRenderer } from '../serveTurn.ts';
import { validateBody } from '../validateBody.ts';
import { cacheRequestOf, sessionKeyOf, translateOptionsOf, type RouteContext } from './routeContext.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `previous_response_id` names a response that was never stored here or has been evicted. */
class PreviousResponseNotFound extends RequestError {}

export function openaiResponsesRoute(
  context: RouteContext,
  store: ResponseStore = createResponseStore({
    ...RESPONSE_STORE_LIMITS,
    now: () => context.turnDeps.clock.now(),
  }),
) {
  return async (req: Request, res: Response): Promise<void> => {
    const started = context.turnDeps.clock.monotonicNow();
    let prepared: ReturnType<typeof prepare>;
    try {
      const request = validateBody(responsesRequestSchema, req.body);
      prepared = prepare(context, store, request, await translateOptionsOf(context));
    } catch (error) {
      const status = sendRequestError(res, error);
      context.recordRequest(req, { status, started, error });
      return;
    }
    const { request, items, anthropicRequest, translation, echo } = prepared;
    const sessionKey = sessionKeyOf(req, request.prompt_cache_key ?? request.user);
    const outcome = await serveTurn(context.turnDeps, req, res, {
      dialect: 'openai',
      translation,
      sessionKey,
      stream: request.stream === true,
      renderer: streamRenderer(echo),
      buildJson: (events) => buildResponsesResponse(events, echo),
      responseCache: context.responseCache,
      cacheRequest: cacheRequestOf(
        res,
        { request: anthropicRequest, modelId: translation.modelId, sessionKey },
        'call_',
      ),
    });
    if (request.store !== false && outcome.events.some((event) => event.type === 'end')) {
      store.put(echo.id, [
        ...items,
        ...responsesOutputAsInput(buildResponsesResponse(outcome.events, echo).output),
      ]);
    }
    context.recordRequest(req, { ...outcome, started, model: request.model, modelId: translation.modelId });
  };
}

function prepare(
  context: RouteContext,
  store: ResponseStore,
  request: ResponsesRequest,
  translateOptions: TranslateOptions,
) {
  const history = previousConversation(store, request.previous_response_id);
  const { request: anthropicRequest, namespaced } = responsesToAnthropic(request, history);
  const cacheKey = request.prompt_cache_key;
  const translation = translateAnthropicRequest(anthropicRequest, {
    ...translateOptions,
    // Codex's prompt_cache_key is its session id: one Kiro conversation per Codex session.
    ...(cacheKey !== undefined && UUID.test(cacheKey) ? { conversationId: cacheKey.toLowerCase() } : {}),
  });
  const echo: ResponsesStreamOptions = {
    ...echoOf(request),
    id: randomId('resp_'),
    createdAt: Math.floor(context.turnDeps.clock.now() / 1000),
    namespaced,
  };
  return { request, items: responsesInputItems(request, history), anthropicRequest, translation, echo };
}

function previousConversation(store: ResponseStore, id: string | null | undefined): ResponsesInputItem[] {
  if (id == null) return [];
  const items = store.get(id);
  if (items === undefined) {
    throw new PreviousResponseNotFound(
      `Previous response with id '${id}' not found. Kiro Dock keeps recent responses in memory only (a restart or ` +
        'eviction forgets them); send the whole conversation in input instead.',
    );
  }
  return items;
}

function echoOf(request: ResponsesRequest): Omit<ResponsesEcho, 'id' | 'createdAt'> {
  return {
    model: request.model,
    instructions: request.instructions,
    maxOutputTokens: request.max_output_tokens,
    previousResponseId: request.previous_response_id,
    reasoningEffort: request.reasoning?.effort,
    store: request.store !== false,
    temperature: request.temperature,
    topP: request.top_p,
    toolChoice: request.tool_choice,
    tools: request.tools,
    metadata: request.metadata,
  };
}

/** One writer per request: a failure after the stream began continues its sequence numbers. */
function streamRenderer(echo: ResponsesStreamOptions): () => StreamRenderer {
  let renderer: StreamRenderer | undefined;
  return () => {
    if (renderer) return renderer;
    const writer = createResponsesStreamWriter(echo);
    renderer = {
      begin: () => writer.start(),
      render: (event) => writer.write(event),
      fail: (error) => writer.fail({ message: error.message, code: failureCode(error) }),
      end: () => '',
    };
    return renderer;
  };
}

/** response.failed codes are the Responses API's own (`rate_limit_exceeded`, `server_error`, …). */
function failureCode(error: ClientError): string {
  if (error.type === 'rate_limit_error') return 'rate_limit_exceeded';
  return error.code ?? 'server_error';
}

function sendRequestError(res: Response, error: unknown): number {
  if (!(error instanceof PreviousResponseNotFound)) return sendClientError(res, 'openai', error).status;
  const body = openaiErrorBody({ status: 400, type: 'invalid_request_error', message: error.message }) as {
    error: Record<string, unknown>;
  };
  res
    .status(400)
    .json({ error: { ...body.error, param: 'previous_response_id', code: 'previous_response_not_found' } });
  return 400;
}
