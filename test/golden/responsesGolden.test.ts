/**
 * Golden tests for the OpenAI Responses translators.
 *
 * Requests: test/golden/responses-requests/<case>/{request.json, history.json?, options.json?} → expected.json,
 * the Kiro body (which must pass the emulator's strict validator) and expected-tools.json (how namespace tools
 * were flattened).
 * Streams: every test/golden/streams/<case>/events.json (shared with the other dialects) renders to
 * responses.sse and responses.json; the official SDK must read the stream (`responses.stream`) into exactly the
 * JSON answer. UPDATE_GOLDEN=1 rewrites the recorded files; review the diff by eye.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { format, resolveConfig } from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicRequestSchema } from '../../electron/core/translate/anthropicRequest.ts';
import {
  translateAnthropicRequest,
  type TranslateOptions,
} from '../../electron/core/translate/anthropicToKiro.ts';
import {
  responsesRequestSchema,
  type ResponsesInputItem,
} from '../../electron/core/translate/responsesRequest.ts';
import {
  buildResponsesResponse,
  createResponsesStreamWriter,
  type ResponsesStreamOptions,
} from '../../electron/core/translate/responsesStream.ts';
import { responsesToAnthropic } from '../../electron/core/translate/responsesToAnthropic.ts';
import { createTurnAssembler } from '../../electron/core/translate/turnAssembler.ts';
import type { TurnEvent } from '../../electron/core/translate/turnEvents.ts';
import { findStrictViolation } from '../emulator/strictValidator.ts';
import { startSseReplayServer, type SseReplayServer } from './sseReplayServer.ts';
import type { GoldenStreamCase } from './goldenStreamCase.ts';

const REQUESTS = fileURLToPath(new URL('./responses-requests/', import.meta.url));
const STREAMS = fileURLToPath(new URL('./streams/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

async function record(file: string, content: string): Promise<void> {
  const formatted = file.endsWith('.json')
    ? await format(content, { ...(await resolveConfig(file)), filepath: file })
    : content;
  writeFileSync(file, formatted);
}

function directories(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function expectRecorded(path: string, content: string): Promise<void> {
  if (UPDATE || !existsSync(path)) await record(path, content);
  const recorded = readFileSync(path, 'utf8');
  if (path.endsWith('.json')) expect(JSON.parse(recorded), path).toEqual(JSON.parse(content));
  else expect(recorded, path).toBe(content);
}

describe.each(directories(REQUESTS))('responses request %s', (name) => {
  it('translates to the recorded Kiro body', async () => {
    const dir = join(REQUESTS, name);
    const optionsPath = join(dir, 'options.json');
    const historyPath = join(dir, 'history.json');
    const options = (existsSync(optionsPath) ? readJson(optionsPath) : {}) as TranslateOptions;
    const history = (existsSync(historyPath) ? readJson(historyPath) : []) as ResponsesInputItem[];
    const request = responsesRequestSchema.parse(readJson(join(dir, 'request.json')));
    const translated = responsesToAnthropic(request, history);
    // The converted request must itself be a valid Anthropic request.
    const anthropic = anthropicRequestSchema.parse(translated.request);
    const translation = translateAnthropicRequest(anthropic, options);
    expect(findStrictViolation(translation.body)).toBeNull();
    const declared = new Set(anthropic.tools?.map((tool) => tool.name));
    for (const tool of translation.body.conversationState.currentMessage.userInputMessage
      .userInputMessageContext?.tools ?? []) {
      expect(declared).toContain(translation.restoreToolName(tool.toolSpecification.name));
    }
    await expectRecorded(join(dir, 'expected.json'), JSON.stringify(translation.body));
    await expectRecorded(join(dir, 'expected-tools.json'), JSON.stringify(translated.namespaced));
  });
});

const ECHO: ResponsesStreamOptions = {
  id: 'resp_golden',
  model: 'claude-sonnet-4-6',
  createdAt: 1_767_225_600,
  // long-name-restore's tool, as if it had been declared in a namespace: the call names it back that way.
  namespaced: {
    mcp__github_enterprise_server__create_or_update_pull_request_review_comment: {
      namespace: 'mcp__github_enterprise_server',
      name: 'create_or_update_pull_request_review_comment',
    },
  },
};

function renderCase(name: string): { sse: string; json: ReturnType<typeof buildResponsesResponse> } {
  const golden = readJson(join(STREAMS, name, 'events.json')) as GoldenStreamCase;
  const { toolNames = {}, ...options } = golden.options;
  const assembler = createTurnAssembler({ ...options, restoreToolName: (tool) => toolNames[tool] ?? tool });
  const turn: TurnEvent[] = [
    ...golden.events.flatMap((event) => assembler.push(event)),
    ...assembler.finish(),
  ];
  const writer = createResponsesStreamWriter(ECHO);
  return {
    sse: writer.start() + turn.map((event) => writer.write(event)).join(''),
    json: buildResponsesResponse(turn, ECHO),
  };
}

const streamCases = directories(STREAMS);
const bodies = new Map<string, string>();
let replay: SseReplayServer;
let baseUrl: string;

beforeAll(async () => {
  for (const name of streamCases) bodies.set(`/${name}/responses`, renderCase(name).sse);
  replay = await startSseReplayServer(bodies);
  baseUrl = replay.baseUrl;
});
afterAll(async () => {
  await replay.close();
});

/** The SDK adds its own parse results (output_text, parsed, parsed_arguments); they are not on the wire. */
function withoutParsedFields(response: unknown): unknown {
  return JSON.parse(
    JSON.stringify(response, (key, value: unknown) =>
      ['output_text', 'output_parsed', 'parsed', 'parsed_arguments'].includes(key) ? undefined : value,
    ),
  );
}

function sdkFor(path: string): OpenAI {
  return new OpenAI({ baseURL: `${baseUrl}/${path}`, apiKey: 'k', maxRetries: 0 });
}

describe.each(streamCases)('responses stream %s', (name) => {
  const rendered = renderCase(name);

  it('matches the recorded output', async () => {
    await expectRecorded(join(STREAMS, name, 'responses.sse'), rendered.sse);
    await expectRecorded(join(STREAMS, name, 'responses.json'), JSON.stringify(rendered.json));
  });

  it('is accumulated by the OpenAI SDK into the same response', async () => {
    const stream = sdkFor(name).responses.stream({ model: ECHO.model, input: 'hi' });
    const numbers: number[] = [];
    stream.on('event', (event) => numbers.push(event.sequence_number));
    const response = withoutParsedFields(await stream.finalResponse());
    expect(response).toEqual(rendered.json);
    expect(numbers).toEqual(numbers.map((_, index) => index));
  });
});

describe('a stream that fails midway', () => {
  it('ends with error and response.failed, which the SDK rejects with', async () => {
    const writer = createResponsesStreamWriter(ECHO);
    bodies.set(
      '/failing/responses',
      writer.start() +
        writer.write({ type: 'text_delta', text: 'Partial' }) +
        writer.fail({ message: 'Kiro failed: upstream broke off' }),
    );
    const stream = sdkFor('failing').responses.stream({ model: ECHO.model, input: 'hi' });
    const error = await stream.finalResponse().catch((caught: unknown) => caught);
    // The SDK rejects with the `error` event itself, as it does for the real API.
    expect(error).toMatchObject({
      type: 'error',
      code: 'server_error',
      message: 'Kiro failed: upstream broke off',
    });
    expect(bodies.get('/failing/responses')).toMatch(/event: response\.failed\ndata: .*"status":"failed"/);
  });
});
