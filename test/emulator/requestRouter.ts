/**
 * Routes by path (and `x-amz-target` for the awsJson form), whatever the Host header says, so one emulator
 * stands in for every Kiro host: q., codewhisperer., runtime., the social auth host and the OIDC host.
 */
import { bearerOf, type BearerCredential } from './accountStore.ts';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { answerAssistantRequest } from './assistantResponse.ts';
import type { ChatHost, EmulatorOperation, EmulatorRequestLogEntry, EmulatorState } from './emulatorState.ts';
import { sendJsonReply, type JsonReply } from './jsonReply.ts';
import { answerMcp } from './mcpWebSearch.ts';
import { listAvailableModelsBody } from './modelCatalogue.ts';
import { answerRefresh } from './tokenEndpoints.ts';
import { usageLimitsBody } from './usageLimits.ts';
import { BEARER_TOKEN_INVALID } from './faults.ts';
import { DEVICE_CODE_GRANT } from './deviceAuthorization.ts';
import { answerSignIn } from './signInRoutes.ts';

const GENERATE_TARGET = 'AmazonCodeWhispererStreamingService.GenerateAssistantResponse';
const LIST_PROFILES_TARGET = 'AmazonCodeWhispererService.ListAvailableProfiles';
const MALFORMED = { message: 'Improperly formed request.', reason: null };

export function createRequestListener(state: EmulatorState): RequestListener {
  return (request, response) => {
    handleRequest(state, request, response).catch((error: unknown) => {
      // Aborted delays (client gone, emulator closing) land here too: nothing is left to answer.
      if (response.headersSent || (error as Error).name === 'AbortError') response.destroy();
      else
        response
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: String(error) }));
    });
  };
}

async function handleRequest(
  state: EmulatorState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const raw = await readBody(request);
  const url = new URL(request.url ?? '/', 'http://kiro-emulator.invalid');
  // Kiro Dock names a chat host other than q by a path prefix when one URL stands in for every host.
  const hostPrefix = /^\/_host\/(q|runtime)(\/.*)$/.exec(url.pathname);
  if (hostPrefix) url.pathname = hostPrefix[2]!;
  const parsed = parseJson(raw);
  const entry: EmulatorRequestLogEntry = {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.search,
    operation: probeOrOperation(operationOf(request.method, url.pathname, request.headers), parsed),
    host: (hostPrefix?.[1] as ChatHost | undefined) ?? 'q',
    headers: request.headers,
    body: parsed.ok ? parsed.value : undefined,
  };
  state.requests.push(entry);
  if (!parsed.ok) return sendJsonReply(response, entry, { status: 400, body: MALFORMED });
  // A Kiro API key (ksk_…) is a bearer token sent with `tokentype: API_KEY`.
  const authorization: BearerCredential = {
    authorization: request.headers.authorization,
    tokenType: request.headers['tokentype'],
  };
  switch (entry.operation) {
    case 'chatHostProbe':
      return sendJsonReply(response, entry, answerChatHostProbe(state, entry));
    case 'generateAssistantResponse':
      return answerAssistantRequest(
        state,
        { entry, authorization, body: entry.body, bodyBytes: raw.length },
        response,
      );
    case 'createToken':
      if (isDeviceCodeGrant(entry.body))
        return sendJsonReply(response, entry, state.deviceFlow.createToken(entry.body));
      return answerRefresh(state, entry, response);
    case 'mcp':
      return sendJsonReply(response, entry, answerMcp(state, entry, authorization));
    case 'refreshToken':
      return answerRefresh(state, entry, response);
    case 'registerClient':
    case 'startDeviceAuthorization':
    case 'listAvailableProfiles':
    case 'socialLogin':
    case 'socialToken':
      return sendJsonReply(response, entry, answerSignIn(state, entry, url));
    case 'getUsageLimits':
    case 'listAvailableModels':
      return sendJsonReply(response, entry, authenticatedReply(state, entry, authorization));
    case 'unknownOperation':
      return sendJsonReply(response, entry, {
        status: 400,
        body: {
          __type: 'UnknownOperationException',
          message: `Unknown operation ${request.headers['x-amz-target']}`,
        },
      });
    case 'notFound':
      return sendJsonReply(response, entry, {
        status: 404,
        body: { message: `No such operation: ${entry.method} ${entry.path}` },
      });
  }
}

function operationOf(
  method: string | undefined,
  path: string,
  headers: IncomingHttpHeaders,
): EmulatorOperation {
  const route = `${method} ${path}`;
  if (route === 'POST /generateAssistantResponse') return 'generateAssistantResponse';
  if (route === 'POST /refreshToken') return 'refreshToken';
  if (route === 'POST /token') return 'createToken';
  if (route === 'GET /getUsageLimits') return 'getUsageLimits';
  if (route === 'GET /ListAvailableModels') return 'listAvailableModels';
  if (route === 'POST /mcp') return 'mcp';
  if (route === 'POST /client/register') return 'registerClient';
  if (route === 'POST /device_authorization') return 'startDeviceAuthorization';
  if (route === 'GET /login') return 'socialLogin';
  if (route === 'POST /oauth/token') return 'socialToken';
  if (route === 'POST /' && headers['x-amz-target'] !== undefined) {
    if (headers['x-amz-target'] === LIST_PROFILES_TARGET) return 'listAvailableProfiles';
    return headers['x-amz-target'] === GENERATE_TARGET ? 'generateAssistantResponse' : 'unknownOperation';
  }
  return 'notFound';
}

function authenticatedReply(
  state: EmulatorState,
  entry: EmulatorRequestLogEntry,
  authorization: BearerCredential,
): JsonReply {
  const account = state.accounts.authenticate(authorization);
  if (!account) return { status: 403, body: BEARER_TOKEN_INVALID };
  entry.accountId = account.id;
  const body =
    entry.operation === 'getUsageLimits' ? usageLimitsBody(account, state.now()) : listAvailableModelsBody();
  return { status: 200, body };
}

/** A chat request without a conversation is how Kiro Dock asks a host whether it accepts a login. */
function probeOrOperation(
  operation: EmulatorOperation,
  parsed: { ok: boolean; value?: unknown },
): EmulatorOperation {
  if (operation !== 'generateAssistantResponse' || !parsed.ok) return operation;
  const body = parsed.value;
  const hasConversation = typeof body === 'object' && body !== null && 'conversationState' in body;
  return hasConversation ? operation : 'chatHostProbe';
}

/** The host's answer to a probe: 403 when it refuses the login (or the token is dead), else "malformed". */
function answerChatHostProbe(state: EmulatorState, entry: EmulatorRequestLogEntry): JsonReply {
  const account = state.accounts.authenticate(bearerOf(entry.headers));
  if (!account || !state.settings.hostRules[account.kind].includes(entry.host))
    return { status: 403, body: BEARER_TOKEN_INVALID };
  entry.accountId = account.id;
  return { status: 400, body: MALFORMED };
}

function isDeviceCodeGrant(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as Record<string, unknown>)['grantType'] === DEVICE_CODE_GRANT
  );
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (raw.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}
