/**
 * `npx tsx bench/cacheBench.ts` — what the caches cost and save, in one process (emulator and Kiro Dock
 * in-process, zero-latency emulator):
 * 1. per request: the response-cache fingerprint, a sha256 of the raw body (what a conversion cache would key
 *    on) and the conversion itself, for a 500-message Claude Code-shaped request;
 * 2. latency p50 of an uncached answer vs a cache hit;
 * 3. 50 identical concurrent requests: how many reached Kiro.
 */
import { createHash } from 'node:crypto';
import { fingerprintRequest } from '../electron/core/cache/requestFingerprint.ts';
import type { AnthropicRequest } from '../electron/core/translate/anthropicRequest.ts';
import { translateAnthropicRequest } from '../electron/core/translate/anthropicToKiro.ts';
import { postJson, startProxyHarness } from '../test/integration/proxyHarness.ts';
import { summarize } from './benchProcesses.ts';

function largeRequest(messageCount: number): AnthropicRequest {
  const filler = (i: number, size: number) => `line ${i} `.padEnd(size, 'lorem ipsum dolor sit amet ');
  const messages: AnthropicRequest['messages'] = [{ role: 'user', content: 'Refactor the project.' }];
  for (let i = 0; messages.length < messageCount - 1; i++) {
    messages.push({
      role: 'assistant',
      content: [
        { type: 'tool_use', id: `toolu_${i}`, name: 'read_file', input: { path: `src/file${i}.ts` } },
      ],
    });
    messages.push({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: `toolu_${i}`, content: filler(i, 1_000 + (i % 4) * 1_000) },
      ],
    });
  }
  messages.push({ role: 'user', content: 'Continue.' });
  const tools = Array.from({ length: 20 }, (_, i) => ({
    name: `tool_${i}`,
    description: filler(i, 2_000),
    input_schema: { type: 'object', properties: { path: { type: 'string' } } },
  }));
  return { model: 'claude-sonnet-4-5', max_tokens: 4096, system: filler(0, 4_000), messages, tools };
}

function timeEach(runs: number, work: () => void): number {
  for (let i = 0; i < 20; i++) work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  return summarize(samples.sort((a, b) => a - b)).p50;
}

const request = largeRequest(500);
const rawBody = JSON.stringify(request);
const options = { maxPayloadBytes: 50_000_000 };
const hashMs = timeEach(200, () => createHash('sha256').update(rawBody).digest('hex'));
const fingerprintMs = timeEach(200, () =>
  fingerprintRequest(request, 'claude-sonnet-4.5', { client: 'bench' }),
);
const translateMs = timeEach(200, () => translateAnthropicRequest(request, options));

const proxy = await startProxyHarness({ responseCache: { enabled: true } });
// Temperature 0: the only requests without tools the cache answers by default.
const ask = (content: string) =>
  postJson(`${proxy.url}/v1/messages`, {
    model: 'claude-sonnet-4-5',
    max_tokens: 256,
    temperature: 0,
    messages: [{ role: 'user', content }],
  });
const uncached: number[] = [];
const cached: number[] = [];
for (let i = 0; i < 200; i++) {
  let started = performance.now();
  await ask(`question ${i} [[chunks:26]]`);
  uncached.push(performance.now() - started);
  started = performance.now();
  await ask(`question ${i} [[chunks:26]]`);
  cached.push(performance.now() - started);
}
const upstreamBefore = proxy.emulator.requests.length;
await Promise.all(Array.from({ length: 50 }, () => ask('everyone at once [[delay:2]] [[chunks:26]]')));
const upstreamCalls = proxy.emulator.requests.length - upstreamBefore;
await proxy.close();

const kib = (Buffer.byteLength(rawBody) / 1024).toFixed(0);
const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
console.log(line(['per request (500 messages, ' + kib + ' KiB)', 'p50 ms']));
console.log(line(['---', '---']));
console.log(line(['sha256 of the raw body', hashMs.toFixed(3)]));
console.log(line(['response-cache fingerprint (canonical JSON + sha256)', fingerprintMs.toFixed(3)]));
console.log(line(['anthropic → kiro conversion', translateMs.toFixed(3)]));
console.log('');
console.log(line(['scenario (n=200, sequential)', 'p50 ms']));
console.log(line(['---', '---']));
console.log(line(['uncached answer', summarize(uncached.sort((a, b) => a - b)).p50.toFixed(2)]));
console.log(line(['cache hit', summarize(cached.sort((a, b) => a - b)).p50.toFixed(2)]));
console.log('');
console.log(line(['50 identical concurrent requests', 'upstream calls']));
console.log(line(['---', '---']));
console.log(line(['response cache on', upstreamCalls]));
