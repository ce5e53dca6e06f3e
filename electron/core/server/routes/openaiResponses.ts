/**
 * `POST /v1/responses`: the OpenAI Responses API (what the Codex CLI speaks), served by the same turn machinery
 * as the other routes. The conversations behind response ids live in a bounded memory store for
 * `previous_response_id`; Kiro itself is stateless, so each turn sends the whole conversation.
 */
import type { Request } from 'express';
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
import { randomId } from '../randomId.ts';
import { createResponseStore, RESPONSE_STORE_LIMITS, type ResponseStore } from '../responseStore.ts';
import type { StreamWriter } from '../serveTurn.ts';
import { sessionKeyOf, type RouteContext } from './routeContext.ts';
import { turnRoute, type AskedTurn, type OwnRefusal, type TurnDialect } from './turnRoute.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `previous_response_id` names a response that was never stored here or has been evicted. */
class PreviousResponseNotFound extends RequestError {}

/** Responses' own parts: the conversation so far from `previous_response_id`, and what `store` keeps of it. */
interface AskedResponse extends AskedTurn {
  history: ResponsesInputItem[];
  /** The client's namespaced function names by the flat names Kiro sees (answers give back the client's own). */
  namespaced: ResponsesStreamOptions['namespaced'];
}

export function openaiResponsesRoute(
  context: RouteContext,
  store: ResponseStore = createResponseStore({
    ...RESPONSE_STORE_LIMITS,
    now: () => context.turnDeps.clock.now(),
  }),
) {
  return turnRoute(context, responses(context, store));
}

function responses(
  context: RouteContext,
  store: ResponseStore,
): TurnDialect<ResponsesRequest, AskedResponse> {
  return {
    dialect: 'openai',
    schema: responsesRequestSchema,
    toolIdPrefix: 'call_',
    ask: (request, req) => askedResponse(store, request, req),
    answer: (request, asked) => {
      const echo: ResponsesStreamOptions = {
        ...echoOf(request),
        id: randomId('resp_'),
        createdAt: Math.floor(context.turnDeps.clock.now() / 1000),
        namespaced: asked.namespaced,
      };
      return {
        writer: () => streamWriter(echo),
        buildJson: (events) => buildResponsesResponse(events, echo),
        afterTurn: (outcome) => {
          if (request.store === false || !outcome.events.some((event) => event.type === 'end')) return;
          const output = buildResponsesResponse(outcome.events, echo).output;
          store.put(echo.id, [
            ...responsesInputItems(request, asked.history),
            ...responsesOutputAsInput(output),
          ]);
        },
      };
    },
    ownRefusal: previousResponseRefusal,
  };
}

function askedResponse(store: ResponseStore, request: ResponsesRequest, req: Request): AskedResponse {
  const history = previousConversation(store, request.previous_response_id);
  const { request: anthropicRequest, namespaced } = responsesToAnthropic(request, history);
  const cacheKey = request.prompt_cache_key;
  const planning = {
    sessionKey: cacheKey ?? request.user,
    // Codex's prompt_cache_key is its session id: one Kiro conversation per Codex session.
    ...(cacheKey !== undefined && UUID.test(cacheKey) ? { conversationId: cacheKey.toLowerCase() } : {}),
  };
  const sessionKey = sessionKeyOf(req, cacheKey ?? request.user);
  return { anthropicRequest, sessionKey, planning, history, namespaced };
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

/** The Responses stream writer; its failure event carries the Responses API's own code. */
function streamWriter(echo: ResponsesStreamOptions): StreamWriter {
  const writer = createResponsesStreamWriter(echo);
  return {
    start: () => writer.start(),
    write: (event) => writer.write(event),
    error: (error) => writer.fail({ message: error.message, code: failureCode(error) }),
  };
}

/** response.failed codes are the Responses API's own (`rate_limit_exceeded`, `server_error`, …). */
function failureCode(error: ClientError): string {
  if (error.type === 'rate_limit_error') return 'rate_limit_exceeded';
  return error.code ?? 'server_error';
}

function previousResponseRefusal(error: unknown): OwnRefusal | undefined {
  if (!(error instanceof PreviousResponseNotFound)) return undefined;
  const body = openaiErrorBody({ status: 400, type: 'invalid_request_error', message: error.message }) as {
    error: Record<string, unknown>;
  };
  const code = 'previous_response_not_found';
  return { status: 400, body: { error: { ...body.error, param: 'previous_response_id', code } } };
}
