/**
 * `npx tsx bench/teamBench.ts` — what a team key adds to a request (emulator and Kiro Dock in-process,
 * zero-latency emulator, non-streamed answers, one request at a time): the default key; a team key with a budget
 * and the usage ledger on disk (SQLite, WAL); the same key with its keys and budget shared on a local Redis
 * (redis-server started here); and everything a replica shares: the Kiro accounts too (sealed secrets), the key's
 * per-minute rate and the conversation's account. Interleaved rounds, so the four see the same machine noise.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectRedisTeamState, openSqliteUsageLedger, silentLogger } from '../electron/core/index.ts';
import { systemClock } from '../electron/core/ports.ts';
import { parseSecretKey } from '../electron/core/secrets/secretEnvelope.ts';
import { adminRequest } from '../test/integration/adminHttp.ts';
import {
  CLIENT_KEY,
  postJson,
  startProxyHarness,
  type ProxyHarness,
} from '../test/integration/proxyHarness.ts';
import { startRedisServer } from '../test/support/redisServer.ts';
import { summarize } from './benchProcesses.ts';

const ROUNDS = 40;
const PER_ROUND = 25;

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'team-bench-'));
const redis = await startRedisServer();
const shared = await connectRedisTeamState({ url: redis.url, clock: systemClock, logger: silentLogger() });
const sharedAll = await connectRedisTeamState({
  url: redis.url,
  clock: systemClock,
  logger: silentLogger(),
  secretKey: parseSecretKey(Buffer.alloc(32, 9).toString('base64'), 'the bench key'),
});
const localLedger = openSqliteUsageLedger(path.join(dir, 'local.sqlite'));
const redisLedger = openSqliteUsageLedger(path.join(dir, 'redis.sqlite'));
const allLedger = openSqliteUsageLedger(path.join(dir, 'all.sqlite'));
const local = await startProxyHarness({ core: { usageLedger: localLedger } });
const onRedis = await startProxyHarness({ core: { usageLedger: redisLedger, sharedTeamState: shared } });
const allOnRedis = await startProxyHarness({
  core: { usageLedger: allLedger, sharedTeamState: sharedAll, sharedAccounts: sharedAll.accounts },
});

async function teamKey(proxy: ProxyHarness, limits: Record<string, number> = {}): Promise<string> {
  const answer = await adminRequest(proxy.url, 'POST', '/admin/keys', {
    body: { label: 'bench', creditLimit: 1_000_000, period: 'month', ...limits },
  });
  return answer.json<{ key: string }>().key;
}

const cases = [
  { name: 'default key (ledger on)', proxy: local, key: CLIENT_KEY },
  { name: 'team key with a budget, ledger (SQLite)', proxy: local, key: await teamKey(local) },
  { name: 'team key with a budget, ledger, shared on Redis', proxy: onRedis, key: await teamKey(onRedis) },
  {
    name: 'the same, with the accounts, a rate limit and the conversation shared too',
    proxy: allOnRedis,
    key: await teamKey(allOnRedis, { requestsPerMinute: 1_000_000 }),
  },
];
const samples = cases.map(() => [] as number[]);
const body = {
  model: 'claude-sonnet-4-5',
  max_tokens: 64,
  metadata: { user_id: 'user_bench_account__session_one-conversation' },
  messages: [{ role: 'user', content: 'hi [[credits:0]]' }],
};
for (let round = 0; round < ROUNDS; round++) {
  for (const [index, entry] of cases.entries()) {
    for (let i = 0; i < PER_ROUND; i++) {
      const started = performance.now();
      const answer = await postJson(`${entry.proxy.url}/v1/messages`, body, { 'x-api-key': entry.key });
      if (answer.status !== 200) throw new Error(`${entry.name}: ${answer.status} ${answer.text}`);
      if (round > 0) samples[index]!.push(performance.now() - started);
    }
  }
}
const base = summarize(samples[0]!.sort((a, b) => a - b));
process.stdout.write(
  '| request path | p50 ms | p90 ms | p99 ms | p50 added ms |\n| --- | --- | --- | --- | --- |\n',
);
for (const [index, entry] of cases.entries()) {
  const stats = summarize(samples[index]!.sort((a, b) => a - b));
  const added = (stats.p50 - base.p50).toFixed(2);
  process.stdout.write(
    `| ${entry.name} | ${stats.p50.toFixed(2)} | ${stats.p90.toFixed(2)} | ${stats.p99.toFixed(2)} | ${added} |\n`,
  );
}
await local.close();
await onRedis.close();
await allOnRedis.close();
localLedger.close();
redisLedger.close();
allLedger.close();
await shared.close();
await sharedAll.close();
await redis.close();
await fs.rm(dir, { recursive: true, force: true });
