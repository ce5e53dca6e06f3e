/**
 * A fresh `kiro-dock serve` (the build in dist/, file secret store, no account, no IDE login): time from spawn to
 * the first 200 from /health, RSS three seconds later and once idle (15 s after start: V8 gives back the memory
 * the start used about 10 s in), and the native modules it mapped. Linux only (reads
 * /proc). Build first (`npm run build`).
 *
 *   npx tsx bench/startupBench.ts [--runs 5]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
/** Just after start, and once V8's memory reducer has given back what the start used (about 10 s here). */
const JUST_STARTED_MS = 3_000;
const SETTLED_MS = 15_000;

interface Start {
  readyMs: number;
  rssMiB: number;
  settledRssMiB: number;
  natives: string[];
}

async function startOnce(dataDir: string): Promise<Start> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['bin/kiro-dock.js', 'serve', '--port', '0', '--data-dir', dataDir, '--secret-store', 'file', '--no-ide'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: {
        ...process.env,
        KIRO_DOCK_LOG_LEVEL: 'silent',
        KIRO_DOCK_UPSTREAM_URL: 'http://127.0.0.1:9',
        KIRO_DOCK_API_KEY: 'kd-startup-bench-0123456789abcdef',
      },
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /Kiro Dock listening on (http:\/\/\S+)/.exec(seen);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    while (
      !(await fetch(`${url}/health`)
        .then((answer) => answer.ok)
        .catch(() => false))
    ) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const readyMs = performance.now() - started;
    const rssAfter = async (ms: number) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
    };
    const rssMiB = await rssAfter(JUST_STARTED_MS);
    const settledRssMiB = await rssAfter(SETTLED_MS - JUST_STARTED_MS);
    const maps = fs.readFileSync(`/proc/${child.pid}/maps`, 'utf8');
    const natives = [...maps.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\/.*\.node$/gm)].map(
      (match) => match[1]!,
    );
    return {
      readyMs,
      rssMiB,
      settledRssMiB,
      natives: [...new Set(natives)].sort(),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiro-dock-startup-'));
const starts: Start[] = [];
for (let run = 0; run < RUNS; run++) starts.push(await startOnce(path.join(root, String(run))));
fs.rmSync(root, { recursive: true, force: true });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`runs: ${RUNS}`);
console.log(`spawn → /health: median ${median(starts.map((start) => start.readyMs)).toFixed(0)} ms`);
console.log(`RSS 3 s after start: median ${median(starts.map((start) => start.rssMiB)).toFixed(1)} MiB`);
console.log(`RSS idle 15 s after start: median ${median(starts.map((s) => s.settledRssMiB)).toFixed(1)} MiB`);
console.log(`native modules mapped: ${starts[0]!.natives.join(', ') || 'none'}`);
