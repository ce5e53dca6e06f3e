/**
 * generateAssistantResponse: authenticate, validate (strict mode), apply the fault if any, then stream the
 * scripted answer as an AWS event stream.
 */
import type { BearerCredential } from './accountStore.ts';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { viewConversation, type ConversationView } from './conversationView.ts';
import { parseDirectives, type Directives } from './directives.ts';
import type { EmulatorRequestLogEntry, EmulatorState } from './emulatorState.ts';
import { BEARER_TOKEN_INVALID, httpFaultFor, type FaultKind } from './faults.ts';
import { sendJsonReply, type JsonReply } from './jsonReply.ts';
import { scenarioEvents } from './responseEvents.ts';
import { imagePixelTokens, imagesOf } from './imageTokens.ts';
import { maxInputTokensOf } from './modelCatalogue.ts';
import { buildScenario } from './scenario.ts';
import { checkReasoningFieldsOnHost } from './strictReasoningRules.ts';
import { findStrictRejection } from './strictValidator.ts';
import { planStream } from './streamPlan.ts';
import { writeStreamPlan } from './streamWriter.ts';

/** How long `slow-headers` holds the status line unless `[[ttfb:MS]]` says otherwise. */
const SLOW_HEADERS_MS = 5_000;

export interface AssistantRequest {
  entry: EmulatorRequestLogEntry;
  authorization: BearerCredential;
  body: unknown;
  bodyBytes: number;
}

export async function answerAssistantRequest(
  state: EmulatorState,
  request: AssistantRequest,
  response: ServerResponse,
): Promise<void> {
  const { entry } = request;
  const refusal = refuseRequest(state, request);
  if (refusal) return sendJsonReply(response, entry, refusal);
  const view = viewConversation(request.body);
  const directives = parseDirectives(view.currentContent);
  // An account out of credits gets what Kiro answers then, whatever else was asked.
  const outOfCredits = state.accounts.isOutOfCredits(entry.accountId!);
  const fault = outOfCredits ? '402' : (directives.fault ?? state.fault.take());
  entry.fault = fault;
  const httpFault = fault && httpFaultFor(fault);
  if (httpFault) return sendJsonReply(response, entry, httpFault);
  await streamAnswer(state, request, response, { view, directives, fault });
}

/** The answer when the token is not valid or (in strict mode) the body is not acceptable. */
function refuseRequest(
  state: EmulatorState,
  { entry, authorization, body, bodyBytes }: AssistantRequest,
): JsonReply | undefined {
  const account = state.accounts.authenticate(authorization);
  if (!account || !state.settings.hostRules[account.kind].includes(entry.host))
    return { status: 403, body: BEARER_TOKEN_INVALID };
  entry.accountId = account.id;
  const rejection = state.settings.strict
    ? (checkReasoningFieldsOnHost(body, entry.host) ?? findStrictRejection(body, bodyBytes))
    : undefined;
  if (!rejection) return undefined;
  entry.strictRejection = rejection.reason;
  return { status: 400, body: rejection.body };
}

interface AnswerScript {
  view: ConversationView;
  directives: Directives;
  fault: FaultKind | undefined;
}

async function streamAnswer(
  state: EmulatorState,
  { entry, body, bodyBytes }: AssistantRequest,
  response: ServerResponse,
  { view, directives, fault }: AnswerScript,
): Promise<void> {
  const { settings } = state;
  const scenario = buildScenario(view, withToolToCut(directives, fault), {
    chunkCount: settings.chunkCount,
    contextWindow: settings.contextWindow ?? maxInputTokensOf(view.modelId),
    inputTokens: promptTokens(body, bodyBytes),
  });
  const plan = planStream(scenarioEvents(scenario), fault);
  const signal = AbortSignal.any([state.closing, abortOnClose(response, entry)]);
  const firstByteDelay = fault === 'slow-headers' ? SLOW_HEADERS_MS : settings.timeToFirstByteMs;
  const delayMs = directives.timeToFirstByteMs ?? firstByteDelay;
  if (delayMs > 0) await sleep(delayMs, undefined, { signal });

  entry.status = 200;
  response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
  state.accounts.recordRequest(entry.accountId!, scenario.credits);
  const interFrameDelayMs = directives.interFrameDelayMs ?? settings.interFrameDelayMs;
  await writeStreamPlan(response, plan, { interFrameDelayMs, signal });
}

function promptTokens(body: unknown, bodyBytes: number): number {
  const images = imagesOf(body);
  const imageBytes = images.reduce((sum, image) => sum + image.length, 0);
  const pixelTokens = images.reduce((sum, image) => sum + imagePixelTokens(image), 0);
  return Math.ceil((bodyBytes - imageBytes) / 4) + pixelTokens;
}

/** `cut-in-tool` needs a tool call to cut into; script one when the request did not. */
function withToolToCut(directives: Directives, fault: FaultKind | undefined): Directives {
  if (fault !== 'cut-in-tool' || directives.tools.length > 0) return directives;
  const content = 'A long file body that the stream breaks off in the middle of. '.repeat(4);
  return { ...directives, tools: [{ name: 'write_file', input: { path: 'notes.md', content } }] };
}

function abortOnClose(response: ServerResponse, entry: EmulatorRequestLogEntry): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    // The client hung up before the answer was complete: recorded so tests can see aborts propagate.
    if (!response.writableFinished) entry.clientDisconnected = true;
    controller.abort();
  });
  return controller.signal;
}
