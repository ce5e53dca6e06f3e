/**
 * generateAssistantResponse: authenticate, validate (strict mode), apply the fault if any, then stream the
 * scripted answer as an AWS event stream.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { viewConversation } from './conversationView.ts';
import { parseDirectives, type Directives } from './directives.ts';
import type { EmulatorRequestLogEntry, EmulatorState } from './emulatorState.ts';
import { BEARER_TOKEN_INVALID, httpFaultFor, type FaultKind } from './faults.ts';
import { sendJsonReply } from './jsonReply.ts';
import { scenarioEvents } from './responseEvents.ts';
import { buildScenario } from './scenario.ts';
import { findStrictRejection } from './strictValidator.ts';
import { planStream } from './streamPlan.ts';
import { writeStreamPlan } from './streamWriter.ts';

/** How long `slow-headers` holds the status line unless `[[ttfb:MS]]` says otherwise. */
const SLOW_HEADERS_MS = 5_000;

export interface AssistantRequest {
  entry: EmulatorRequestLogEntry;
  authorization: string | undefined;
  body: unknown;
  bodyBytes: number;
}

export async function answerAssistantRequest(
  state: EmulatorState,
  request: AssistantRequest,
  response: ServerResponse,
): Promise<void> {
  const { entry, body } = request;
  const account = state.accounts.authenticate(request.authorization);
  if (!account) return sendJsonReply(response, entry, { status: 403, body: BEARER_TOKEN_INVALID });
  entry.accountId = account.id;
  if (state.settings.strict) {
    const rejection = findStrictRejection(body, request.bodyBytes);
    if (rejection) {
      entry.strictRejection = rejection.reason;
      return sendJsonReply(response, entry, { status: 400, body: rejection.body });
    }
  }
  const view = viewConversation(body);
  const directives = parseDirectives(view.currentContent);
  const fault = directives.fault ?? state.fault.take();
  entry.fault = fault;
  const httpFault = fault && httpFaultFor(fault);
  if (httpFault) return sendJsonReply(response, entry, httpFault);

  const scenario = buildScenario(view, withToolToCut(directives, fault), {
    chunkCount: state.settings.chunkCount,
    contextWindow: state.settings.contextWindow,
    requestBytes: request.bodyBytes,
  });
  const plan = planStream(scenarioEvents(scenario), fault);
  const signal = AbortSignal.any([state.closing, abortOnClose(response)]);
  const firstByteDelay = fault === 'slow-headers' ? SLOW_HEADERS_MS : state.settings.timeToFirstByteMs;
  const delayMs = directives.timeToFirstByteMs ?? firstByteDelay;
  if (delayMs > 0) await sleep(delayMs, undefined, { signal });

  entry.status = 200;
  response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
  state.accounts.recordRequest(account.id, scenario.credits);
  await writeStreamPlan(response, plan, {
    interFrameDelayMs: directives.interFrameDelayMs ?? state.settings.interFrameDelayMs,
    signal,
  });
}

/** `cut-in-tool` needs a tool call to cut into; script one when the request did not. */
function withToolToCut(directives: Directives, fault: FaultKind | undefined): Directives {
  if (fault !== 'cut-in-tool' || directives.tools.length > 0) return directives;
  const content = 'A long file body that the stream breaks off in the middle of. '.repeat(4);
  return { ...directives, tools: [{ name: 'write_file', input: { path: 'notes.md', content } }] };
}

function abortOnClose(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => controller.abort());
  return controller.signal;
}
