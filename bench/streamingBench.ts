/**
 * True streaming: Kiro's first event arrives after 1 s, then 200 chunks 5 ms apart. Through Kiro Dock the first
 * text must reach the client within 5 ms of when it reaches a direct caller (no buffering), and the total must
 * track the upstream's pace.
 *
 *   npx tsx bench/streamingBench.ts [--runs 10]
 */
import { parseArgs } from 'node:util';
import { closeBenchClients, directClient, proxyClient, type Timing } from './benchClients.ts';
import { startEmulatorProcess, startProxyProcess, summarize } from './benchProcesses.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const RUNS = Number(values.runs);
const PROMPT = 'Stream a long answer.';

const emulator = await startEmulatorProcess(['--ttfb', '1000', '--chunks', '200', '--delay', '5']);
const proxy = await startProxyProcess(emulator.url, emulator.account);
const direct = directClient(emulator.url, emulator.account.accessToken, PROMPT);
const viaProxy = proxyClient(proxy.url, proxy.clientKey, PROMPT);

try {
  await direct();
  await viaProxy();
  const directRuns: Timing[] = [];
  const proxyRuns: Timing[] = [];
  for (let i = 0; i < RUNS; i++) {
    directRuns.push(await direct());
    proxyRuns.push(await viaProxy());
  }
  const f = (n: number) => n.toFixed(1);
  const df = summarize(directRuns.map((t) => t.firstText));
  const pf = summarize(proxyRuns.map((t) => t.firstText));
  const dt = summarize(directRuns.map((t) => t.total));
  const pt = summarize(proxyRuns.map((t) => t.total));
  console.log('| upstream: first event after 1 s, 200 chunks 5 ms apart | direct | via Kiro Dock | added |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| first text p50 (ms, n=${RUNS}) | ${f(df.p50)} | ${f(pf.p50)} | +${f(pf.p50 - df.p50)} |`);
  console.log(`| first text max (ms) | ${f(df.p99)} | ${f(pf.p99)} | +${f(pf.p99 - df.p99)} |`);
  console.log(`| total p50 (ms) | ${f(dt.p50)} | ${f(pt.p50)} | +${f(pt.p50 - dt.p50)} |`);
} finally {
  closeBenchClients();
  await proxy.stop();
  await emulator.stop();
}
