/**
 * `npx tsx bench/usageFailureBench.ts` — what Claude Code is told and what Kiro is asked, through Kiro Dock in
 * front of the emulator (one account, default settings):
 * 1. the input-token figures of one Claude Code-shaped request (≈ 50 KB of system prompt and tools), alone and
 *    with a 100 KB PNG: `count_tokens`, `message_start` and the final `message_delta` (sent twice, so that a
 *    figure learnt from the first answer shows in the second);
 * 2. upstream calls per client request (one streamed request, no client retries) when every answer is a 429,
 *    a cut stream or a bad CRC, and the status the client gets for each, plus a single non-sticky 402.
 */
import type { FaultKind } from '../test/emulator/faults.ts';
import { noisePng } from '../test/support/noisePng.ts';
import { CLIENT_KEY, parseSse, postJson, startProxyHarness } from '../test/integration/proxyHarness.ts';

const filler = (size: number) =>
  'Follow the repository conventions and explain each change. '.repeat(size / 60);

function claudeCodeRequest(withImage: boolean): Record<string, unknown> {
  const content: unknown[] = [{ type: 'text', text: 'Describe the attached screenshot and fix the bug.' }];
  if (withImage) {
    content.push({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: IMAGE } });
  }
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 32_000,
    stream: true,
    system: [{ type: 'text', text: filler(30_000) }],
    tools: Array.from({ length: 12 }, (_, i) => ({
      name: `tool_${i}`,
      description: filler(1_600),
      input_schema: { type: 'object', properties: { path: { type: 'string' } } },
    })),
    messages: [{ role: 'user', content }],
  };
}

const IMAGE = noisePng(200, 170);

interface Figures {
  countTokens: number;
  messageStart: number;
  messageDelta: number;
}

async function inputFigures(url: string, body: Record<string, unknown>): Promise<Figures> {
  const counted = await postJson(`${url}/v1/messages/count_tokens`, { ...body, stream: undefined });
  const answer = await postJson(`${url}/v1/messages`, body);
  const events = parseSse(answer.text);
  const usageOf = (type: string) => {
    const event = events.find((candidate) => (candidate.data as { type?: string }).type === type);
    const data = event?.data as { message?: { usage?: Usage }; usage?: Usage } | undefined;
    return (data?.message?.usage ?? data?.usage)?.input_tokens ?? Number.NaN;
  };
  return {
    countTokens: (counted.json() as { input_tokens: number }).input_tokens,
    messageStart: usageOf('message_start'),
    messageDelta: usageOf('message_delta'),
  };
}

interface Usage {
  input_tokens?: number;
}

async function upstreamCallsUnder(
  fault: FaultKind,
  times?: number,
  stream = true,
): Promise<{ calls: number; status: string }> {
  const proxy = await startProxyHarness();
  try {
    proxy.emulator.setFault({ kind: fault, ...(times !== undefined && { times }) });
    const response = await fetch(`${proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        stream,
        messages: [{ role: 'user', content: 'hello' }],
      }),
    });
    const text = await response.text();
    const sseError = /event: error\ndata: (.*)/.exec(text)?.[1];
    const errorType = sseError
      ? `SSE ${(JSON.parse(sseError) as { error: { type: string } }).error.type}`
      : response.status === 200
        ? 'ok'
        : `${(JSON.parse(text) as { error: { type: string } }).error.type}`;
    const retryAfter = response.headers.get('retry-after');
    const calls = proxy.emulator.requests.filter((entry) => entry.operation === 'generateAssistantResponse');
    return {
      calls: calls.length,
      status: `${response.status} ${errorType}${retryAfter ? ` retry-after ${retryAfter}` : ''}`,
    };
  } finally {
    await proxy.close();
  }
}

const proxy = await startProxyHarness();
try {
  console.log('| request | pass | count_tokens | message_start | message_delta |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const withImage of [false, true]) {
    for (const pass of [1, 2]) {
      const figures = await inputFigures(proxy.url, claudeCodeRequest(withImage));
      const label = withImage ? '≈50 KB + 100 KB PNG (200×170)' : '≈50 KB text and tools';
      console.log(
        `| ${label} | ${pass} | ${figures.countTokens} | ${figures.messageStart} | ${figures.messageDelta} |`,
      );
    }
  }
} finally {
  await proxy.close();
}

console.log('\n| upstream answer | upstream calls per client request | client gets |');
console.log('| --- | --- | --- |');
for (const [fault, times] of [
  ['429', undefined],
  ['cut', undefined],
  ['bad-crc', undefined],
  ['402', 1],
] as const) {
  const result = await upstreamCallsUnder(fault, times);
  const label = times === undefined ? `persistent ${fault}` : `single ${fault}`;
  console.log(`| ${label} | ${result.calls} | ${result.status} |`);
}

console.log('\n| upstream answer (stream: false) | upstream calls per client request | client gets |');
console.log('| --- | --- | --- |');
for (const fault of ['cut', 'bad-crc'] as const) {
  const result = await upstreamCallsUnder(fault, undefined, false);
  console.log(`| persistent ${fault} | ${result.calls} | ${result.status} |`);
}
