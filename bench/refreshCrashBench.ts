/**
 * SIGKILL during a token refresh: how many logins are lost for good. A real `kiro-dock serve` (file secret
 * store, a Kiro IDE login) runs against the emulator, which rotates the refresh token and kills the old one as
 * it handles the request. Once started and idle, it is asked for a refresh (admin API) and killed: a chosen
 * time after the emulator answered (spread evenly over --min-delay-ms…--max-delay-ms, default 0…10, in a
 * shuffled order), at its first write to the data folder after the answer, or before the answer was sent (the
 * round trip). Then it is started again on the same folders. A kill is lost when that restart's refresh is
 * rejected for good (then the IDE is signed in again and the run goes on). "Killed before any write": the
 * data folder was untouched when it died.
 *
 * Then --timing-runs refreshes of one running process report, from the 'token refreshed' log line, the round
 * trip (request sent → answer parsed) and the journal write after it: the window in which a crash cannot be
 * saved. Last, the file secret store's time until a write survives SIGKILL.
 *
 *   npx tsx bench/refreshCrashBench.ts [--kills 50] [--first-write 10] [--round-trip 5] [--min-delay-ms 0]
 *                                      [--max-delay-ms 10] [--timing-runs 20] [--seed 7] [--verbose]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createFileSecretStore } from '../electron/core/index.ts';
import {
  crashTrial,
  createCrashRig,
  serveAfterCrashes,
  type CrashRig,
  type KillPlan,
  type TrialResult,
} from '../test/integration/refreshCrashRig.ts';
import { summarize } from './benchProcesses.ts';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '50' },
    'first-write': { type: 'string', default: '10' },
    'round-trip': { type: 'string', default: '5' },
    'min-delay-ms': { type: 'string', default: '0' },
    'max-delay-ms': { type: 'string', default: '10' },
    'timing-runs': { type: 'string', default: '20' },
    seed: { type: 'string', default: '7' },
    verbose: { type: 'boolean', default: false },
  },
});

interface Kill {
  plan: KillPlan;
  result: TrialResult;
  lost?: boolean;
}

/** A small seeded generator, so that a run can be repeated with the same kill order. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function killPlans(): KillPlan[] {
  const kills = Number(values.kills);
  const minDelay = Number(values['min-delay-ms']);
  const span = Number(values['max-delay-ms']) - minDelay;
  const plans: KillPlan[] = Array.from({ length: kills }, (_, i) => ({
    at: 'delay' as const,
    delayMs: minDelay + (kills === 1 ? 0 : (span * i) / (kills - 1)),
  }));
  for (let i = 0; i < Number(values['first-write']); i++) plans.push({ at: 'first-write' });
  for (let i = 0; i < Number(values['round-trip']); i++) plans.push({ at: 'before-answer' });
  const random = seededRandom(Number(values.seed));
  for (let i = plans.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [plans[i], plans[j]] = [plans[j]!, plans[i]!];
  }
  return plans;
}

/** Each start judges the kill before it; a rejected start signs the IDE in again and repeats its plan. */
async function runKills(rig: CrashRig, plans: KillPlan[]): Promise<Kill[]> {
  const kills: Kill[] = [];
  let previous: Kill | undefined;
  for (const [index, plan] of plans.entries()) {
    for (;;) {
      const result = await crashTrial(rig, plan);
      if (values.verbose) process.stderr.write(`${JSON.stringify({ plan, result })}\n`);
      if (previous) previous.lost = result.refresh === 'rejected';
      previous = undefined;
      if (result.refresh === 'refreshed') {
        previous = { plan, result };
        kills.push(previous);
        break;
      }
      await rig.newIdeLogin();
    }
    process.stderr.write(`kill ${index + 1}/${plans.length}\r`);
  }
  try {
    await (await serveAfterCrashes(rig)).stop();
    if (previous) previous.lost = false;
  } catch {
    if (previous) previous.lost = true;
  }
  return kills;
}

function bucketOf(kill: Kill): string {
  if (kill.plan.at === 'before-answer') return 'before the answer was sent (round trip)';
  if (kill.plan.at === 'first-write') return 'at the first write after the answer';
  const ms = kill.result.killedAfterMs ?? 0;
  return ms < 1 ? '0–1 ms after the answer' : ms < 2 ? '1–2 ms' : ms < 3 ? '2–3 ms' : '3 ms and more';
}

function killTable(kills: Kill[]): string {
  const rows = new Map<string, Kill[]>();
  for (const kill of kills) rows.set(bucketOf(kill), [...(rows.get(bucketOf(kill)) ?? []), kill]);
  const lines = [
    '| kill moment | kills | lost | killed before any write | lost although it had written |',
    '| ----------- | ----- | ---- | ----------------------- | ---------------------------- |',
  ];
  const row = (name: string, group: Kill[]) => {
    const lost = group.filter((kill) => kill.lost);
    const unwritten = group.filter((kill) => !kill.result.wroteAfterAnswer);
    const lostWritten = lost.filter((kill) => kill.result.wroteAfterAnswer);
    lines.push(
      `| ${name} | ${group.length} | ${lost.length} | ${unwritten.length} | ${lostWritten.length} |`,
    );
  };
  for (const [name, group] of [...rows].sort()) row(name, group);
  row('**all**', kills);
  return lines.join('\n');
}

/** Refreshes of one running, idle process: the refresh's own timings, from its log lines. */
async function refreshTimings(rig: CrashRig, runs: number): Promise<string> {
  await rig.newIdeLogin();
  const served = await serveAfterCrashes(rig, 'info');
  const samples: Array<Record<string, number>> = [];
  try {
    const refreshedLines = () => served.logLines.filter((line) => line.includes('"msg":"token refreshed"'));
    for (let i = 0; i < runs; i++) {
      const seen = refreshedLines().length;
      await served.refreshNow();
      const line = await logLine(refreshedLines, seen + 1);
      if (line) samples.push(JSON.parse(line) as Record<string, number>);
    }
  } finally {
    await served.stop();
  }
  const timed = samples.filter((sample) => typeof sample['roundTripMs'] === 'number');
  if (timed.length === 0) return `(no timings in the log: this build does not report them)`;
  const row = (name: string, of: (sample: Record<string, number>) => number) => {
    const values = timed.map(of);
    const { p50, p90 } = summarize(values);
    return `| ${name} | ${p50.toFixed(2)} | ${p90.toFixed(2)} | ${Math.max(...values).toFixed(2)} |`;
  };
  return [
    `| refresh of an idle process (ms, n=${timed.length}) | p50 | p90 | max |`,
    '| --- | --- | --- | --- |',
    row('request sent → answer parsed (round trip)', (s) => s['roundTripMs']!),
    row('answer parsed → journal write returned (file store: safe from a kill)', (s) => s['journalCallMs']!),
    row('answer parsed → journal write resolved (secrets.json replaced)', (s) => s['journalMs']!),
    row('**unsavable window: request sent → journal safe**', (s) => s['roundTripMs']! + s['journalCallMs']!),
  ].join('\n');
}

/** The `count`-th of `lines()`, once it has been written. */
async function logLine(lines: () => string[], count: number): Promise<string | undefined> {
  for (let waited = 0; waited < 3_000; waited += 20) {
    const found = lines();
    if (found.length >= count) return found[count - 1];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}

/** The file store: when a write is safe from SIGKILL (set() returned) and when set() resolves. */
async function fileStoreTimings(writes: number): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'crash-store-'));
  const store = createFileSecretStore(dir);
  for (let i = 0; i < 20; i++) await store.set(`account:acc_${i}`, 'x'.repeat(600));
  const durable: number[] = [];
  const resolved: number[] = [];
  for (let i = 0; i < writes; i++) {
    const started = performance.now();
    const done = store.set('refresh-journal:acc_0', `{"n":${i},"token":"${'y'.repeat(400)}"}`);
    durable.push(performance.now() - started);
    await done;
    resolved.push(performance.now() - started);
  }
  await fs.rm(dir, { recursive: true, force: true });
  const f = (n: number) => n.toFixed(3);
  const d = summarize(durable);
  const r = summarize(resolved);
  return [
    `| file store, ${writes} writes of a ~0.5 KB entry beside 20 accounts (ms) | p50 | p90 | p99 |`,
    '| --- | --- | --- | --- |',
    `| set() returned (the write is in the kernel: survives SIGKILL) | ${f(d.p50)} | ${f(d.p90)} | ${f(d.p99)} |`,
    `| set() resolved (secrets.json replaced, fsynced) | ${f(r.p50)} | ${f(r.p90)} | ${f(r.p99)} |`,
  ].join('\n');
}

const started = performance.now();
const rig = await createCrashRig();
try {
  const kills = await runKills(rig, killPlans());
  process.stdout.write(`${killTable(kills)}\n\n`);
  const timingRuns = Number(values['timing-runs']);
  if (timingRuns > 0) process.stdout.write(`${await refreshTimings(rig, timingRuns)}\n\n`);
} finally {
  await rig.close();
}
process.stdout.write(`${await fileStoreTimings(200)}\n\n`);
process.stdout.write(`(${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
