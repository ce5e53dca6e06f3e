/**
 * Golden tests of a web search turn (docs/web-search.md): the recorded Kiro rounds of web-search/<case>/turn.json
 * and the search answers go through the real loop (webSearchTurnRunner, the turn assembler, the search round)
 * and render to anthropic.sse, anthropic.json and responses.sse. The Anthropic SDK must accumulate the stream
 * into the JSON answer, and every round's upstream bytes split at every offset must render the same stream.
 * UPDATE_GOLDEN=1 rewrites the recorded files; review the diff by eye.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountService } from '../../electron/core/accounts/accountService.ts';
import { encodeKiroEvent } from '../../electron/core/kiro/eventStreamEncoder.ts';
import type { KiroClient } from '../../electron/core/kiro/kiroClient.ts';
import { createKiroEventDecoder } from '../../electron/core/kiro/kiroEventDecoder.ts';
import { silentLogger } from '../../electron/core/logging/createLogger.ts';
import type { TurnDeps } from '../../electron/core/server/runTurn.ts';
import { webSearchTurnRunner } from '../../electron/core/server/webSearchTurn.ts';
import { buildAnthropicMessage } from '../../electron/core/translate/anthropicMessage.ts';
import type { AnthropicRequest } from '../../electron/core/translate/anthropicRequest.ts';
import { createAnthropicSseWriter } from '../../electron/core/translate/anthropicSse.ts';
import { translateAnthropicRequest } from '../../electron/core/translate/anthropicToKiro.ts';
import { createResponsesStreamWriter } from '../../electron/core/translate/responsesStream.ts';
import type { TurnEvent } from '../../electron/core/translate/turnEvents.ts';
import type { WebSearchConfig } from '../../electron/core/translate/webSearchTool.ts';
import { createFakeClock } from '../support/fakeClock.ts';
import { startSseReplayServer, type SseReplayServer } from './sseReplayServer.ts';

const CASES = fileURLToPath(new URL('./web-search/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const MODEL = 'claude-sonnet-4-5';

interface WebSearchCase {
  config: WebSearchConfig;
  rounds: Array<Array<{ eventType: string; payload: Record<string, unknown> }>>;
  searches: Record<string, unknown[]>;
}

/** Runs the turn; `split` cuts round `round` at byte `offset` (the rest arrive whole). */
async function runCase(
  golden: WebSearchCase,
  split?: { round: number; offset: number },
): Promise<TurnEvent[]> {
  const rounds = golden.rounds.map((events) =>
    Buffer.concat(events.map((event) => encodeKiroEvent(event.eventType, event.payload))),
  );
  let calls = 0;
  const client = {
    async streamAssistantResponse() {
      const index = calls++;
      const bytes = rounds[index]!;
      const at = split?.round === index ? split.offset : bytes.length;
      return decodeChunks([bytes.subarray(0, at), bytes.subarray(at)]);
    },
    async callMcp(request: { params: { arguments: { query: string } } }) {
      const results = golden.searches[request.params.arguments.query] ?? [];
      const text = JSON.stringify({ results, totalResults: results.length });
      return { jsonrpc: '2.0', result: { content: [{ type: 'text', text }], isError: false } };
    },
  } as unknown as KiroClient;
  const lease = {
    accountId: 'golden',
    credential: { accessToken: 't', machineId: '0'.repeat(64) },
    release() {},
  };
  const accounts = {
    lease: async () => lease,
    accountCount: () => 1,
    reportSuccess() {},
    hasOtherEligible: () => false,
    consecutiveThrottles: () => 0,
  } as unknown as AccountService;
  const deps: TurnDeps = { client, accounts, logger: silentLogger(), clock: createFakeClock() };
  const request: AnthropicRequest = {
    model: MODEL,
    max_tokens: 1024,
    tools: [{ type: 'web_search_20250305', name: 'web_search' }],
    messages: [{ role: 'user', content: 'What do cafés charge?' }],
  };
  const options = { conversationId: '3f2e1d0c-9b8a-4c7d-8e6f-5a4b3c2d1e0f', webSearch: golden.config };
  const translate = (next: AnthropicRequest) => translateAnthropicRequest(next, options);
  const events: TurnEvent[] = [];
  const run = webSearchTurnRunner(deps, {
    request,
    config: golden.config,
    translation: translate(request),
    translate,
  });
  await run(
    { canRestartAfterOutput: false, onOutput: (batch) => void events.push(...batch) },
    new AbortController().signal,
  );
  expect(calls).toBe(rounds.length);
  return events.map(withStableIds);
}

async function* decodeChunks(chunks: Buffer[]) {
  const decoder = createKiroEventDecoder();
  for (const chunk of chunks) {
    const events = decoder.push(chunk);
    if (events.length > 0) yield events;
  }
  decoder.end();
}

/** Server tool ids are random; the recorded files hold them numbered. */
function withStableIds(event: TurnEvent, index: number): TurnEvent {
  if (event.type === 'server_tool_use') return { ...event, id: `srvtoolu_golden${index}` };
  if (event.type === 'web_search_result') return { ...event, toolUseId: `srvtoolu_golden${index - 1}` };
  return event;
}

function render(events: TurnEvent[]) {
  const sse = createAnthropicSseWriter({ messageId: 'msg_golden', model: MODEL, inputTokens: 40 });
  const responses = createResponsesStreamWriter({
    id: 'resp_golden',
    createdAt: 1_767_225_600,
    model: MODEL,
    store: true,
  } as Parameters<typeof createResponsesStreamWriter>[0]);
  return {
    'anthropic.sse': sse.start() + events.map((event) => sse.write(event)).join(''),
    'anthropic.json': `${JSON.stringify(buildAnthropicMessage(events, { messageId: 'msg_golden', model: MODEL }), null, 2)}\n`,
    'responses.sse': responses.start() + events.map((event) => responses.write(event)).join(''),
  };
}

const caseNames = readdirSync(CASES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const goldens = new Map(
  caseNames.map((name) => [
    name,
    JSON.parse(readFileSync(join(CASES, name, 'turn.json'), 'utf8')) as WebSearchCase,
  ]),
);
const rendered = new Map<string, ReturnType<typeof render>>();
let replay: SseReplayServer;

beforeAll(async () => {
  for (const [name, golden] of goldens) rendered.set(name, render(await runCase(golden)));
  replay = await startSseReplayServer(
    new Map([...rendered].map(([name, files]) => [`/${name}/v1/messages`, files['anthropic.sse']])),
  );
});
afterAll(async () => {
  await replay.close();
});

describe.each(caseNames)('web search turn %s', (name) => {
  it('matches the recorded output', () => {
    for (const [file, content] of Object.entries(rendered.get(name)!)) {
      const path = join(CASES, name, file);
      if (UPDATE || !existsSync(path)) writeFileSync(path, content);
      expect(readFileSync(path, 'utf8'), file).toBe(content);
    }
  });

  it('is accumulated by the Anthropic SDK into the JSON answer', async () => {
    const client = new Anthropic({ baseURL: `${replay.baseUrl}/${name}`, apiKey: 'k', maxRetries: 0 });
    const message = await client.messages
      .stream({ model: MODEL, max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    const { parsed_output: _parsed, ...accumulated } = message as typeof message & {
      parsed_output?: unknown;
    };
    expect(accumulated).toEqual(JSON.parse(rendered.get(name)!['anthropic.json']));
  });

  it('renders the same stream whatever byte every round is split at', async () => {
    const golden = goldens.get(name)!;
    const whole = rendered.get(name)!['anthropic.sse'];
    for (const [round, events] of golden.rounds.entries()) {
      const length = events.reduce(
        (sum, event) => sum + encodeKiroEvent(event.eventType, event.payload).length,
        0,
      );
      for (let offset = 1; offset < length; offset++) {
        const output = render(await runCase(golden, { round, offset }))['anthropic.sse'];
        if (output !== whole) expect(output, `round ${round} split at ${offset}`).toBe(whole);
      }
    }
  });
});
