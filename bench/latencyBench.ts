/**
 * Added latency and throughput of Kiro Dock versus calling the emulator directly, on the zero-latency emulator
 * profile (so the figures are Kiro Dock's own cost). Both paths use keep-alive connections; "first text" is the
 * moment the first text byte is readable by the client (an assistantResponseEvent directly, a text_delta
 * through Kiro Dock).
 *
 *   npx tsx bench/latencyBench.ts [--sequential 300] [--concurrent-requests 1000]
 */
import { parseArgs } from 'node:util';
import { closeBenchClients, directClient, proxyClient, type Timing } from './benchClients.ts';
import { startEmulatorProcess, startProxyProcess, summarize } from './benchProcesses.ts';
import { createCpuMeter } from './cpuMeter.ts';

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

const PROMPT = 'Benchmark prompt: say something of moderate length.';
const emulator = await startEmulatorProcess(['--chunks', '24']);
// No per-account cap here: the figure is Kiro Dock's own overhead, not its protection of an account.
const proxy = await startProxyProcess(emulator.url, emulator.account, ['--max-concurrency', '256']);
const direct = directClient(emulator.url, emulator.account.accessToken, PROMPT);
const viaProxy = proxyClient(proxy.url, proxy.clientKey, PROMPT);

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
  const cpu = createCpuMeter({ emulator: emulator.child.pid!, proxy: proxy.child.pid! });
  const conDirect = await concurrent(direct, CONCURRENT_REQUESTS, CONCURRENCY);
  const directCpu = cpu.lap();
  const conProxy = await concurrent(viaProxy, CONCURRENT_REQUESTS, CONCURRENCY);
  const proxyCpu = cpu.lap();
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
  const perRequest = (ms: number) => (ms / CONCURRENT_REQUESTS).toFixed(3);
  console.log(
    '\n| CPU ms per request at ' + CONCURRENCY + ' concurrent | load generator | emulator | Kiro Dock |',
  );
  console.log('| --- | --- | --- | --- |');
  for (const [label, lap] of [
    ['direct', directCpu],
    ['via Kiro Dock', proxyCpu],
  ] as const) {
    console.log(
      `| ${label} | ${perRequest(lap.self)} | ${perRequest(lap.emulator)} | ${label === 'direct' ? '–' : perRequest(lap.proxy)} |`,
    );
  }
} finally {
  closeBenchClients();
  await proxy.stop();
  await emulator.stop();
}
