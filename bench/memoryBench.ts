/**
 * Memory and handles of the `kiro-dock serve` process: RSS idle, with 100 concurrent open streams, and across a
 * 10 000-request soak (growth must stay under 10 %), plus open file descriptors before and after — none may
 * leak. Linux only (reads /proc).
 *
 *   npx tsx bench/memoryBench.ts [--soak 10000]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { closeBenchClients, proxyClient } from './benchClients.ts';
import { startEmulatorProcess, startProxyProcess } from './benchProcesses.ts';

const { values } = parseArgs({ options: { soak: { type: 'string', default: '10000' } } });
const SOAK = Number(values.soak);

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024;
}

function openDescriptors(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

async function runConcurrently(call: () => Promise<unknown>, total: number, workers: number): Promise<void> {
  let issued = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (issued < total) {
        issued++;
        await call();
      }
    }),
  );
}

// One process each: a fast emulator for the soak, a slow one (1 s answers) to hold 100 streams open at once.
const emulator = await startEmulatorProcess(['--chunks', '24']);
const slowEmulator = await startEmulatorProcess(['--chunks', '40', '--delay', '25']);
// The response cache is off for the soak: every prompt is unique, so it would only measure the cache filling.
const proxy = await startProxyProcess(emulator.url, emulator.account, [], {
  responseCache: { enabled: false },
});
const slowProxy = await startProxyProcess(slowEmulator.url, slowEmulator.account, [
  '--max-concurrency',
  '128',
]);
const pid = proxy.child.pid!;
const slowPid = slowProxy.child.pid!;

try {
  const ask = proxyClient(proxy.url, proxy.clientKey, 'Soak');
  await runConcurrently(ask, 500, 20); // warm-up: JIT, pools, caches at their steady size
  const idle = rssMiB(pid);
  const fdBefore = openDescriptors(pid);

  const hold = proxyClient(slowProxy.url, slowProxy.clientKey, 'Hold');
  await hold();
  const slowIdle = rssMiB(slowPid);
  let peak = slowIdle;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(slowPid))), 50);
  await Promise.all(Array.from({ length: 100 }, () => hold()));
  clearInterval(sampler);

  // RSS along the soak: a leak keeps climbing; caches filling to their caps and heap sizing level off.
  const along: number[] = [];
  const started = performance.now();
  for (let done = 0; done < SOAK; done += SOAK / 4) {
    await runConcurrently(ask, SOAK / 4, 20);
    along.push(rssMiB(pid));
  }
  const soakSeconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 1000)); // idle keep-alive sockets time out, GC runs
  const after = rssMiB(pid);
  const fdAfter = openDescriptors(pid);

  const f = (n: number) => n.toFixed(1);
  console.log('| measure | value |');
  console.log('| --- | --- |');
  console.log(`| RSS idle (after 500 warm-up requests) | ${f(idle)} MiB |`);
  console.log(`| RSS with 100 concurrent 1 s streams | peak ${f(peak)} MiB (before ${f(slowIdle)} MiB) |`);
  console.log(
    `| RSS after ${SOAK} more requests (${f(SOAK / soakSeconds)} req/s) | ${f(after)} MiB (${f(((after - idle) / idle) * 100)} % vs idle) |`,
  );
  console.log(`| RSS at each quarter of the soak | ${along.map(f).join(' → ')} MiB |`);
  const steady = along[0]!;
  console.log(
    `| growth from the first quarter to the end (steady state) | ${f(((after - steady) / steady) * 100)} % |`,
  );
  console.log(`| open descriptors before / after the soak | ${fdBefore} / ${fdAfter} |`);
} finally {
  closeBenchClients();
  await Promise.all([proxy.stop(), slowProxy.stop(), emulator.stop(), slowEmulator.stop()]);
}
