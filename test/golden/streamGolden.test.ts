/**
 * Golden tests for the response translators: each case in streams/<case>/events.json (Kiro events plus
 * assembler options) renders to anthropic.sse, anthropic.json, openai.sse and openai.json. UPDATE_GOLDEN=1
 * rewrites the recorded files; review the diff by eye.
 *
 * The official SDKs then read each stream from a local server: they must accept it (their event-order checks
 * are strict) and accumulate exactly what the non-streaming builders return for the same events.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { format, resolveConfig } from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAnthropicMessage } from '../../electron/core/translate/anthropicMessage.ts';
import { createAnthropicSseWriter } from '../../electron/core/translate/anthropicSse.ts';
import { createOpenAIChunkWriter } from '../../electron/core/translate/openaiChunks.ts';
import { buildOpenAICompletion } from '../../electron/core/translate/openaiCompletion.ts';
import { createTurnAssembler } from '../../electron/core/translate/turnAssembler.ts';
import type { TurnEvent } from '../../electron/core/translate/turnEvents.ts';
import { startSseReplayServer, type SseReplayServer } from './sseReplayServer.ts';
import type { GoldenStreamCase } from './goldenStreamCase.ts';

const STREAMS = fileURLToPath(new URL('./streams/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const MODEL = 'claude-sonnet-4-6';
const MESSAGE_ID = 'msg_golden';
const COMPLETION_ID = 'chatcmpl-golden';
const CREATED = 1_767_225_600;
const REQUIRED_CASES = [
  'text',
  'text-non-ascii',
  'thinking-text',
  'tool-call',
  'parallel-tools',
  'text-tool-text',
  'usage-metadata-cache',
  'context-usage',
  'only-thinking',
  'long-name-restore',
];

interface Rendered {
  anthropicSse: string;
  anthropicJson: ReturnType<typeof buildAnthropicMessage>;
  openaiSse: string;
  openaiJson: ReturnType<typeof buildOpenAICompletion>;
}

function render(golden: GoldenStreamCase): Rendered {
  const { toolNames = {}, ...options } = golden.options;
  const assembler = createTurnAssembler({ ...options, restoreToolName: (name) => toolNames[name] ?? name });
  const turn: TurnEvent[] = [
    ...golden.events.flatMap((event) => assembler.push(event)),
    ...assembler.finish(),
  ];
  const sse = createAnthropicSseWriter({
    messageId: MESSAGE_ID,
    model: MODEL,
    inputTokens: options.estimatedInputTokens,
  });
  const chunks = createOpenAIChunkWriter({
    id: COMPLETION_ID,
    model: MODEL,
    created: CREATED,
    includeUsage: true,
  });
  return {
    anthropicSse: sse.start() + turn.map((event) => sse.write(event)).join(''),
    anthropicJson: buildAnthropicMessage(turn, { messageId: MESSAGE_ID, model: MODEL }),
    openaiSse: turn.map((event) => chunks.write(event)).join('') + chunks.done(),
    openaiJson: buildOpenAICompletion(turn, { id: COMPLETION_ID, model: MODEL, created: CREATED }),
  };
}

async function record(file: string, content: string): Promise<void> {
  const formatted = file.endsWith('.json')
    ? await format(content, { ...(await resolveConfig(file)), filepath: file })
    : content;
  writeFileSync(file, formatted);
}

const caseNames = readdirSync(STREAMS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const rendered = new Map(
  caseNames.map((name) => {
    const golden = JSON.parse(readFileSync(join(STREAMS, name, 'events.json'), 'utf8')) as GoldenStreamCase;
    return [name, render(golden)] as const;
  }),
);

/** Serves canned SSE bodies: `/<case>/v1/messages` for Anthropic, `/<case>/chat/completions` for OpenAI. */
const bodies = new Map<string, string>();
let replay: SseReplayServer;
let baseUrl: string;

beforeAll(async () => {
  for (const [name, output] of rendered) {
    bodies.set(`/${name}/v1/messages`, output.anthropicSse);
    bodies.set(`/${name}/chat/completions`, output.openaiSse);
  }
  replay = await startSseReplayServer(bodies);
  baseUrl = replay.baseUrl;
});

afterAll(async () => {
  await replay.close();
});

function anthropicClient(path: string): Anthropic {
  return new Anthropic({ baseURL: `${baseUrl}/${path}`, apiKey: 'k', maxRetries: 0 });
}

function openaiClient(path: string): OpenAI {
  return new OpenAI({ baseURL: `${baseUrl}/${path}`, apiKey: 'k', maxRetries: 0 });
}

const ANTHROPIC_PARAMS = {
  model: MODEL,
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'hi' }],
};
const OPENAI_PARAMS = {
  model: MODEL,
  messages: [{ role: 'user' as const, content: 'hi' }],
  stream_options: { include_usage: true },
};

it('covers every required case', () => {
  expect(caseNames).toEqual(expect.arrayContaining(REQUIRED_CASES));
});

describe.each(caseNames)('golden stream %s', (name) => {
  const output = rendered.get(name) as Rendered;
  const dir = join(STREAMS, name);
  const files = {
    'anthropic.sse': output.anthropicSse,
    'anthropic.json': JSON.stringify(output.anthropicJson),
    'openai.sse': output.openaiSse,
    'openai.json': JSON.stringify(output.openaiJson),
  };

  it('matches the recorded output', async () => {
    for (const [file, content] of Object.entries(files)) {
      const path = join(dir, file);
      if (UPDATE || !existsSync(path)) await record(path, content);
      const recorded = readFileSync(path, 'utf8');
      if (file.endsWith('.json')) expect(JSON.parse(recorded), file).toEqual(JSON.parse(content));
      else expect(recorded, file).toBe(content);
    }
  });

  it('is accumulated by the Anthropic SDK into the same message', async () => {
    const message = await anthropicClient(name).messages.stream(ANTHROPIC_PARAMS).finalMessage();
    const { parsed_output: _parsed, ...accumulated } = message;
    expect(accumulated).toEqual(output.anthropicJson);
  });

  it('is accumulated by the OpenAI SDK into the same completion', async () => {
    const stream = openaiClient(name).chat.completions.stream(OPENAI_PARAMS);
    // The SDK keeps only the last reasoning_content delta (it is not an OpenAI field): join them here.
    let reasoning: string | undefined;
    stream.on('chunk', (chunk) => {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string } | undefined;
      if (delta?.reasoning_content !== undefined) reasoning = (reasoning ?? '') + delta.reasoning_content;
    });
    const completion = await stream.finalChatCompletion();
    const { parsed: _parsed, ...message } = completion.choices[0]?.message ?? {};
    const accumulated = {
      ...completion,
      choices: [{ ...completion.choices[0], message: { ...message, reasoning_content: reasoning } }],
    };
    expect(accumulated).toEqual(output.openaiJson);
  });
});

describe('stream errors reach SDK callers as errors', () => {
  beforeAll(() => {
    const sse = createAnthropicSseWriter({ messageId: MESSAGE_ID, model: MODEL, inputTokens: 1 });
    const failure = { type: 'overloaded_error', message: 'Kiro failed: upstream broke off' };
    bodies.set(
      '/failing/v1/messages',
      sse.start() + sse.write({ type: 'text_delta', text: 'Partial' }) + sse.ping() + sse.error(failure),
    );
    const chunks = createOpenAIChunkWriter({
      id: COMPLETION_ID,
      model: MODEL,
      created: CREATED,
      includeUsage: false,
    });
    bodies.set(
      '/failing/chat/completions',
      chunks.write({ type: 'text_delta', text: 'Partial' }) + chunks.error(failure),
    );
  });

  it('Anthropic SDK rejects with an APIError carrying the message', async () => {
    const stream = anthropicClient('failing').messages.stream(ANTHROPIC_PARAMS);
    const error = await stream.finalMessage().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).message).toContain('upstream broke off');
  });

  it('OpenAI SDK rejects with an APIError carrying the message', async () => {
    const stream = openaiClient('failing').chat.completions.stream(OPENAI_PARAMS);
    const error = await stream.finalChatCompletion().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('upstream broke off');
  });
});
