/**
 * Refresh storm: 100 concurrent requests arrive while the account's token has expired. Exactly one refresh must
 * reach Kiro, and the requests' added latency is the cost of waiting for it. Kiro Dock and the emulator run in
 * this process (the harness of the integration tests).
 *
 *   npx tsx bench/refreshStormBench.ts [--requests 100] [--rounds 5]
 */
import { parseArgs } from 'node:util';
import { postJson, startProxyHarness } from '../test/integration/proxyHarness.ts';
import { summarize } from './benchProcesses.ts';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '100' }, rounds: { type: 'string', default: '5' } },
});
const REQUESTS = Number(values.requests);
const ROUNDS = Number(values.rounds);

async function storm(
  expired: boolean,
): Promise<{ latencies: number[]; refreshes: number; failures: number }> {
  const proxy = await startProxyHarness({ expiredToken: expired, responseCache: { enabled: false } });
  try {
    let counter = 0;
    const timings = await Promise.all(
      Array.from({ length: REQUESTS }, async () => {
        const started = performance.now();
        const result = await postJson(`${proxy.url}/v1/messages`, {
          model: 'claude-sonnet-4-5',
          max_tokens: 64,
          messages: [{ role: 'user', content: `storm ${++counter}` }],
        });
        return { ms: performance.now() - started, ok: result.status === 200 };
      }),
    );
    return {
      latencies: timings.map((t) => t.ms),
      refreshes: proxy.emulator.refreshCount,
      failures: timings.filter((t) => !t.ok).length,
    };
  } finally {
    await proxy.close();
  }
}

const fresh: number[] = [];
const expired: number[] = [];
const refreshes: number[] = [];
let failures = 0;
await storm(false); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  const a = await storm(false);
  const b = await storm(true);
  fresh.push(...a.latencies);
  expired.push(...b.latencies);
  refreshes.push(b.refreshes);
  failures += a.failures + b.failures;
}
const f = (n: number) => n.toFixed(1);
const s1 = summarize(fresh);
const s2 = summarize(expired);
console.log(
  `| ${REQUESTS} concurrent requests (${ROUNDS} rounds) | p50 ms | p99 ms | refreshes per storm | failures |`,
);
console.log('| --- | --- | --- | --- | --- |');
console.log(`| valid token | ${f(s1.p50)} | ${f(s1.p99)} | 0 | ${failures} in all |`);
console.log(`| expired token | ${f(s2.p50)} | ${f(s2.p99)} | ${refreshes.join(', ')} | |`);
console.log(`\nAdded by the storm: p50 +${f(s2.p50 - s1.p50)} ms, p99 +${f(s2.p99 - s1.p99)} ms.`);
