/**
 * Cost of translating a long Claude Code-shaped request into a Kiro body (`translateAnthropicRequest`), the
 * work done on every /v1/messages call before the upstream is contacted. Target: p50 ≤ 5 ms.
 *
 *   npx tsx bench/conversionBench.ts [--messages 500] [--runs 300] [--warmup 50]
 *
 * The payload limit is raised for the run: a 500-message history with kilobyte-sized tool results is larger
 * than Kiro accepts, and the point here is the conversion itself (the size check still runs).
 */
import { parseArgs } from 'node:util';
import type { AnthropicRequest } from '../electron/core/translate/anthropicRequest.ts';
import { translateAnthropicRequest } from '../electron/core/translate/anthropicToKiro.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '500' },
    runs: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '50' },
  },
});
const MESSAGE_COUNT = Number(values.messages);
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);
const TOOL_COUNT = 20;

/** Deterministic, so every run measures the same request. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}
const random = seededRandom(42);
const between = (min: number, max: number) => Math.floor(min + random() * (max - min + 1));

const WORDS =
  'the file function returns value error config path module test build request response stream token'.split(
    ' ',
  );
function prose(length: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < length) {
    const word = WORDS[between(0, WORDS.length - 1)]!;
    parts.push(word);
    size += word.length + 1;
  }
  return parts.join(' ');
}

function codeLines(length: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let line = 1; size < length; line++) {
    const text = `${String(line).padStart(5)}\tconst ${WORDS[line % WORDS.length]}_${line} = await load('${prose(20)}');`;
    lines.push(text);
    size += text.length + 1;
  }
  return lines.join('\n');
}

function tool(index: number): NonNullable<AnthropicRequest['tools']>[number] {
  return {
    name: `Tool${index}`,
    description: prose(between(1_000, 3_000)),
    input_schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        file_path: { type: 'string', description: 'The absolute path to the file to operate on' },
        mode: { type: 'string', enum: ['read', 'write', 'append'], description: 'How to open the file' },
        options: {
          type: 'object',
          properties: { timeout: { type: 'number', minimum: 0 }, recursive: { type: 'boolean' } },
          additionalProperties: false,
        },
        patterns: { type: 'array', items: { type: 'string' }, description: 'Glob patterns to match' },
      },
      required: ['file_path'],
      additionalProperties: false,
    },
  };
}

function history(count: number): AnthropicRequest['messages'] {
  const messages: AnthropicRequest['messages'] = [
    {
      role: 'user',
      content: [
        { type: 'text', text: `<system-reminder>\n${prose(800)}\n</system-reminder>` },
        { type: 'text', text: prose(200) },
      ],
    },
  ];
  for (let turn = 0; messages.length < count - 1; turn++) {
    const id = `toolu_${String(turn).padStart(6, '0')}`;
    const name = `Tool${turn % TOOL_COUNT}`;
    const text = turn % 5 === 0 ? [{ type: 'text' as const, text: prose(between(100, 400)) }] : [];
    messages.push({
      role: 'assistant',
      content: [
        ...text,
        { type: 'tool_use', id, name, input: { file_path: `/repo/src/${name}.ts`, mode: 'read' } },
      ],
    });
    messages.push({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: id,
          content: codeLines(between(1_000, 4_000)),
          cache_control: { type: 'ephemeral' },
        },
      ],
    });
  }
  messages.push({ role: 'user', content: 'Now summarise what you found.' });
  return messages;
}

const request: AnthropicRequest = {
  model: 'claude-opus-4-8',
  max_tokens: 32_000,
  stream: true,
  thinking: { type: 'adaptive' },
  output_config: { effort: 'high' },
  metadata: {
    user_id: JSON.stringify({
      device_id: 'bench',
      account_uuid: '',
      session_id: '00000000-0000-4000-8000-000000000000',
    }),
  },
  system: [
    { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.330.440; cc_entrypoint=cli;' },
    { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
    { type: 'text', text: prose(12_000), cache_control: { type: 'ephemeral' } },
  ],
  tools: Array.from({ length: TOOL_COUNT }, (_, index) => tool(index)),
  messages: history(MESSAGE_COUNT),
};

const options = { maxPayloadBytes: 50_000_000 };
const requestBytes = Buffer.byteLength(JSON.stringify(request));
const bodyBytes = Buffer.byteLength(JSON.stringify(translateAnthropicRequest(request, options).body));

for (let i = 0; i < WARMUP; i++) translateAnthropicRequest(request, options);
const timings: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  translateAnthropicRequest(request, options);
  timings.push(performance.now() - start);
}
timings.sort((a, b) => a - b);
const percentile = (p: number) =>
  timings[Math.min(timings.length - 1, Math.floor((p / 100) * timings.length))]!;
const [p50, p90, p99] = [50, 90, 99].map((p) => percentile(p).toFixed(2));

console.log(
  `messages ${request.messages.length}, tools ${TOOL_COUNT}, request ${(requestBytes / 1024).toFixed(0)} KiB, Kiro body ${(bodyBytes / 1024).toFixed(0)} KiB`,
);
console.log(
  `runs ${RUNS} after ${WARMUP} warm-up: p50 ${p50} ms, p90 ${p90} ms, p99 ${p99} ms (target p50 ≤ 5 ms)`,
);
console.log('');
console.log('| benchmark | messages | request KiB | p50 ms | p90 ms | p99 ms |');
console.log('|---|---|---|---|---|---|');
console.log(
  `| anthropic → kiro conversion | ${request.messages.length} | ${(requestBytes / 1024).toFixed(0)} | ${p50} | ${p90} | ${p99} |`,
);
