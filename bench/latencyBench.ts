/**
 * Added latency and throughput of Kiro Dock versus calling the emulator directly, on the zero-latency emulator
 * profile (so the figures are Kiro Dock's own cost). Both paths use keep-alive connections; "first text" is the
 * moment the first text byte is readable by the client (an assistantResponseEvent directly, a text_delta
 * through Kiro Dock).
 *
 *   npx tsx bench/latencyBench.ts [--sequential 300] [--concurrent-requests 1000]
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { createKiroEventDecoder } from '../electron/core/kiro/kiroEventDecoder.ts';
import { translateAnthropicRequest } from '../electron/core/translate/anthropicToKiro.ts';
import { startEmulatorProcess, startProxyProcess, summarize } from './benchProcesses.ts';

const { values } = parseArgs({
  options: {
    sequential: { type: 'string', default: '300' },
    'concurrent-requests': { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '20' },
  },
});
const SEQUENTIAL = Number(values.sequential);
const CONCURRENT_REQUESTS = Number(values['concurrent-requests']);
const CONCURRENCY = Number(values.concurrency);

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

interface Timing {
  firstText: number;
  total: number;
}

function timedPost(
  url: string,
  headers: Record<string, string>,
  body: string,
  isFirstText: (chunk: Buffer) => boolean,
): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let firstText = 0;
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode} from ${url}`));
        res.on('data', (chunk: Buffer) => {
          if (firstText === 0 && isFirstText(chunk)) firstText = performance.now() - start;
        });
        res.on('end', () => resolve({ firstText, total: performance.now() - start }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const anthropicRequest = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  stream: true,
  messages: [{ role: 'user' as const, content: 'Benchmark prompt: say something of moderate length.' }],
};

const emulator = await startEmulatorProcess(['--chunks', '24']);
const proxy = await startProxyProcess(emulator.url, emulator.account);

const kiroBody = JSON.stringify(translateAnthropicRequest(anthropicRequest).body);
const direct = () => {
  const decoder = createKiroEventDecoder();
  return timedPost(
    `${emulator.url}/generateAssistantResponse`,
    { authorization: `Bearer ${emulator.account.accessToken}` },
    kiroBody,
    (chunk) => decoder.push(chunk).some((event) => event.type === 'assistantResponse'),
  );
};
const proxyBody = JSON.stringify(anthropicRequest);
const viaProxy = () =>
  timedPost(`${proxy.url}/v1/messages`, { 'x-api-key': proxy.clientKey }, proxyBody, (chunk) =>
    chunk.includes('"text_delta"'),
  );

async function sequential(count: number): Promise<{ direct: Timing[]; proxy: Timing[] }> {
  const result = { direct: [] as Timing[], proxy: [] as Timing[] };
  for (let i = 0; i < count; i++) {
    // Interleaved, so machine noise hits both paths alike.
    result.direct.push(await direct());
    result.proxy.push(await viaProxy());
  }
  return result;
}

async function concurrent(
  call: () => Promise<Timing>,
  total: number,
  workers: number,
): Promise<{ timings: Timing[]; perSecond: number }> {
  const timings: Timing[] = [];
  let issued = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (issued < total) {
        issued++;
        timings.push(await call());
      }
    }),
  );
  return { timings, perSecond: (total / (performance.now() - start)) * 1000 };
}

function row(label: string, d: Timing[], p: Timing[]): string {
  const df = summarize(d.map((t) => t.firstText));
  const pf = summarize(p.map((t) => t.firstText));
  const dt = summarize(d.map((t) => t.total));
  const pt = summarize(p.map((t) => t.total));
  const f = (n: number) => n.toFixed(2);
  return `| ${label} | ${f(df.p50)} / ${f(pf.p50)} (+${f(pf.p50 - df.p50)}) | ${f(df.p90)} / ${f(pf.p90)} | ${f(dt.p50)} / ${f(pt.p50)} (+${f(pt.p50 - dt.p50)}) | ${f(dt.p90)} / ${f(pt.p90)} |`;
}

try {
  await sequential(50); // warm-up: JIT, connection pools
  const seq = await sequential(SEQUENTIAL);
  const conDirect = await concurrent(direct, CONCURRENT_REQUESTS, CONCURRENCY);
  const conProxy = await concurrent(viaProxy, CONCURRENT_REQUESTS, CONCURRENCY);
  console.log(
    '| scenario (ms, direct / via Kiro Dock) | first text p50 | first text p90 | total p50 | total p90 |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  console.log(row(`sequential, n=${SEQUENTIAL}`, seq.direct, seq.proxy));
  console.log(
    row(`${CONCURRENCY} concurrent, n=${CONCURRENT_REQUESTS}`, conDirect.timings, conProxy.timings),
  );
  console.log(
    `\nThroughput at ${CONCURRENCY} concurrent: direct ${conDirect.perSecond.toFixed(0)} req/s, via Kiro Dock ${conProxy.perSecond.toFixed(0)} req/s ` +
      `(${((conProxy.perSecond / conDirect.perSecond) * 100).toFixed(0)}% of direct)`,
  );
} finally {
  agent.destroy();
  await proxy.stop();
  await emulator.stop();
}
