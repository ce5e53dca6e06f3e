/**
 * `kiro-dock daemon` (JSON Lines over stdio) against the emulator, in one run: the first answer after spawning
 * it (and after spawning one `kiro-dock chat`), its added latency per request against calling the emulator
 * directly with the Kiro request Kiro Dock would send, its first streamed chunk through a slow upstream, its idle
 * memory, and a warm daemon against one `kiro-dock chat` process per request. Both commands run the compiled CLI
 * (`dist/electron/cli.js`, as the installed `kiro-dock` does; `npm run bench` builds it first), each on its own
 * temporary HOME, data folder and IDE login, with the file secret store.
 *
 *   npx tsx bench/daemonBench.ts [--sequential 200] [--spawns 5] [--stream-runs 15] [--per-request 20]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeIdeLogin } from '../test/integration/proxyHarness.ts';
import { closeBenchClients, directClient, type Timing } from './benchClients.ts';
import { percentile, ROOT, startEmulatorProcess, type EmulatorProcess } from './benchProcesses.ts';
import { createCpuMeter } from './cpuMeter.ts';

const { values } = parseArgs({
  options: {
    sequential: { type: 'string', default: '200' },
    spawns: { type: 'string', default: '5' },
    'stream-runs': { type: 'string', default: '15' },
    'per-request': { type: 'string', default: '20' },
  },
});
const SEQUENTIAL = Number(values.sequential);
const SPAWNS = Number(values.spawns);
const STREAM_RUNS = Number(values['stream-runs']);
const PER_REQUEST = Number(values['per-request']);

const CLI = path.join(ROOT, 'dist/electron/cli.js');
// The model benchClients' direct request names, so that both paths send Kiro the same request.
const MODEL = 'claude-sonnet-4-5';
const PROMPT = 'Benchmark prompt: say something of moderate length.';
// Emulator directives: the first event after 250 ms, then 40 chunks 5 ms apart (short enough to keep the run
// bounded, long enough that the wait for Kiro dominates, as with a real model).
const SLOW_PROMPT = '[[ttfb:250]] [[chunks:40]] [[delay:5]] Stream a long answer.';

/** What every `kiro-dock daemon` / `chat` of one store gets: the emulator as upstream, temporary folders. */
interface CliStores {
  env: NodeJS.ProcessEnv;
  flags: string[];
  remove(): Promise<void>;
}

async function cliStores(emulator: EmulatorProcess): Promise<CliStores> {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-daemon-bench-'));
  const [home, dataDir, authDir] = ['home', 'data', 'auth'].map((name) => path.join(root, name)) as [
    string,
    string,
    string,
  ];
  for (const dir of [home, dataDir, authDir]) await fsp.mkdir(dir, { recursive: true });
  await writeIdeLogin(authDir, emulator.account);
  return {
    env: { ...process.env, HOME: home, KIRO_DOCK_UPSTREAM_URL: emulator.url, KIRO_DOCK_LOG_LEVEL: 'warn' },
    flags: ['--data-dir', dataDir, '--secret-store', 'file', '--kiro-auth-dir', authDir, '--model', MODEL],
    remove: () => fsp.rm(root, { recursive: true, force: true }),
  };
}

interface AnswerLine {
  id?: number;
  content?: string;
  done?: boolean;
  pong?: boolean;
  error?: { message: string };
}

interface DaemonProcess {
  pid: number;
  /** One request (a fresh id, so several may be in flight); first text and total as this side sees them. */
  ask(prompt: string, stream: boolean): Promise<Timing>;
  ping(): Promise<void>;
  /** Ends stdin, as a caller that is done does, and resolves with the exit status. */
  close(): Promise<number | null>;
}

function spawnDaemon(stores: CliStores): DaemonProcess {
  const child = spawn(process.execPath, [CLI, 'daemon', ...stores.flags], {
    cwd: ROOT,
    env: stores.env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waiting = new Map<number, (line: AnswerLine) => void>();
  const exit = new Promise<number | null>((resolve) => child.once('close', resolve));
  void exit.then((code) => {
    for (const deliver of waiting.values()) deliver({ error: { message: `daemon exited with ${code}` } });
  });
  onStdoutLines(child, (line) => waiting.get(line.id ?? -1)?.(line));
  let lastId = 0;
  const send = (request: object, onLine: (line: AnswerLine) => boolean) => {
    const id = ++lastId;
    waiting.set(id, (line) => {
      if (onLine(line)) waiting.delete(id);
    });
    child.stdin!.write(`${JSON.stringify({ id, ...request })}\n`);
  };
  return {
    pid: child.pid!,
    ask: (prompt, stream) =>
      new Promise((resolve, reject) => {
        const start = performance.now();
        let firstText = 0;
        send({ prompt: `User: ${prompt}\n\nAssistant: `, stream }, (line) => {
          if (line.error) reject(new Error(line.error.message));
          else if (firstText === 0 && line.content) firstText = performance.now() - start;
          const last = line.error !== undefined || !stream || line.done === true;
          if (last) resolve({ firstText, total: performance.now() - start });
          return last;
        });
      }),
    ping: () => new Promise((resolve) => send({ ping: true }, () => (resolve(), true))),
    close: () => {
      child.stdin!.end();
      return exit;
    },
  };
}

function onStdoutLines(child: ChildProcess, onLine: (line: AnswerLine) => void): void {
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
      onLine(JSON.parse(buffered.slice(0, end)) as AnswerLine);
      buffered = buffered.slice(end + 1);
    }
  });
}

/** One `kiro-dock chat` process: milliseconds from spawning it to its exit with the whole answer written. */
function chatOnce(stores: CliStores, prompt: string): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, [CLI, 'chat', ...stores.flags], {
    cwd: ROOT,
    env: stores.env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let answer = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
  child.stdin.end(`User: ${prompt}\n\nAssistant: `);
  return new Promise((resolve, reject) =>
    child.once('close', (code) => {
      if (code === 0 && answer !== '') resolve(performance.now() - start);
      else reject(new Error(`kiro-dock chat exited with ${code}, answer ${JSON.stringify(answer)}`));
    }),
  );
}

/** Milliseconds from spawning a daemon to its first complete answer; the daemon is then closed. */
async function daemonFirstAnswer(stores: CliStores): Promise<number> {
  const start = performance.now();
  const daemon = spawnDaemon(stores);
  try {
    await daemon.ask(PROMPT, false);
    return performance.now() - start;
  } finally {
    await daemon.close();
  }
}

/** Spawns of each command, interleaved; the first of each on a data folder that has never been used. */
async function spawnTimes(daemonStores: CliStores, chatStores: CliStores) {
  const daemon: number[] = [];
  const chat: number[] = [];
  for (let i = 0; i < SPAWNS; i++) {
    daemon.push(await daemonFirstAnswer(daemonStores));
    chat.push(await chatOnce(chatStores, `${PROMPT} #${i}`));
  }
  return { daemon, chat };
}

/** Interleaved, so machine noise hits both paths alike; daemon prompts are unique (never a cached answer). */
async function interleaved(
  count: number,
  direct: () => Promise<Timing>,
  viaDaemon: (i: number) => Promise<Timing>,
): Promise<{ direct: Timing[]; daemon: Timing[] }> {
  const result = { direct: [] as Timing[], daemon: [] as Timing[] };
  for (let i = 0; i < count; i++) {
    result.direct.push(await direct());
    result.daemon.push(await viaDaemon(i));
  }
  return result;
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Clock ticks per second of /proc times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU ms of this process's children that have exited and been reaped (cutime + cstime of /proc/self/stat): the
 * only way to see what a short-lived `kiro-dock chat` cost, since its own /proc entry is gone by then.
 */
function exitedChildrenCpuMs(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

/** CPU ms a running process has used so far. */
function cumulativeCpuMs(pid: number): () => number {
  const meter = createCpuMeter({ process: pid });
  let total = 0;
  return () => (total += meter.lap().process);
}

interface LoadRun {
  latencies: number[];
  perSecond: number;
  cpuMsPerRequest: number;
}

/** `count` requests one after another, or all at once; `cpuMs` reads the CPU the answering side has used. */
async function load(
  count: number,
  atOnce: boolean,
  call: (i: number) => Promise<number>,
  cpuMs: () => number,
): Promise<LoadRun> {
  const cpuBefore = cpuMs();
  const start = performance.now();
  const latencies: number[] = [];
  const timed = (i: number) => call(i).then((ms) => latencies.push(ms));
  if (atOnce) await Promise.all(Array.from({ length: count }, (_, i) => timed(i)));
  else for (let i = 0; i < count; i++) await timed(i);
  const perSecond = (count / (performance.now() - start)) * 1000;
  return { latencies, perSecond, cpuMsPerRequest: (cpuMs() - cpuBefore) / count };
}

const sorted = (samples: number[]) => [...samples].sort((a, b) => a - b);
const p = (samples: number[], at: number) => percentile(sorted(samples), at);
const f = (n: number) => n.toFixed(2);
const f1 = (n: number) => n.toFixed(1);
const signed = (n: number) => `${n >= 0 ? '+' : ''}${f(n)}`;

function printSpawns(spawns: { daemon: number[]; chat: number[] }): void {
  const rest = (samples: number[]) => samples.slice(1);
  console.log(
    `| first complete answer after spawn (ms) | first run, fresh data folder | p50 of next ${SPAWNS - 1} |`,
  );
  console.log('| --- | --- | --- |');
  console.log(`| kiro-dock daemon | ${f1(spawns.daemon[0]!)} | ${f1(p(rest(spawns.daemon), 50))} |`);
  console.log(`| kiro-dock chat (to exit) | ${f1(spawns.chat[0]!)} | ${f1(p(rest(spawns.chat), 50))} |`);
}

function printAdded(label: string, direct: number[], daemon: number[]): void {
  const cell = (at: number) =>
    `${f(p(direct, at))} / ${f(p(daemon, at))} (${signed(p(daemon, at) - p(direct, at))})`;
  console.log(`| ${label} | ${cell(50)} | ${cell(95)} |`);
}

function printPerRequest(rows: Array<[string, LoadRun]>): void {
  console.log(`\n| ${PER_REQUEST} requests | p50 ms | p95 ms | req/s | CPU ms per request (Kiro Dock) |`);
  console.log('| --- | --- | --- | --- | --- |');
  for (const [label, run] of rows)
    console.log(
      `| ${label} | ${f1(p(run.latencies, 50))} | ${f1(p(run.latencies, 95))} | ${f1(run.perSecond)} | ${f1(run.cpuMsPerRequest)} |`,
    );
}

interface AddedLatency {
  whole: { direct: Timing[]; daemon: Timing[] };
  streamed: { direct: Timing[]; daemon: Timing[] };
  slow: { direct: Timing[]; daemon: Timing[] };
  daemonCpuMsPerRequest: number;
}

/** The warm daemon against the direct call, each request of one path followed by the same on the other. */
async function addedLatency(daemon: DaemonProcess, daemonCpuMs: () => number): Promise<AddedLatency> {
  const cpuBefore = daemonCpuMs();
  const whole = await interleaved(SEQUENTIAL, direct, (i) => daemon.ask(`${PROMPT} #${i}`, false));
  const daemonCpuMsPerRequest = (daemonCpuMs() - cpuBefore) / SEQUENTIAL;
  const streamed = await interleaved(SEQUENTIAL, direct, (i) => daemon.ask(`${PROMPT} s#${i}`, true));
  await interleaved(1, slowDirect, () => daemon.ask(SLOW_PROMPT, true)); // warm-up of the slow path
  const slow = await interleaved(STREAM_RUNS, slowDirect, (i) => daemon.ask(`${SLOW_PROMPT} #${i}`, true));
  return { whole, streamed, slow, daemonCpuMsPerRequest };
}

/** The same requests answered by the warm daemon and by one `kiro-dock chat` process each. */
async function daemonVsChat(
  daemon: DaemonProcess,
  daemonCpuMs: () => number,
): Promise<Array<[string, LoadRun]>> {
  const viaDaemon = (i: number) => daemon.ask(`${PROMPT} load #${i}`, false).then((t) => t.total);
  const viaChat = (i: number) => chatOnce(chatStores, `${PROMPT} load #${i}`);
  return [
    ['warm daemon, one after another', await load(PER_REQUEST, false, viaDaemon, daemonCpuMs)],
    [
      'one `kiro-dock chat` each, one after another',
      await load(PER_REQUEST, false, viaChat, exitedChildrenCpuMs),
    ],
    ['warm daemon, all at once (ids)', await load(PER_REQUEST, true, viaDaemon, daemonCpuMs)],
    ['one `kiro-dock chat` each, all at once', await load(PER_REQUEST, true, viaChat, exitedChildrenCpuMs)],
  ];
}

function printAddedLatency(added: AddedLatency): void {
  const totals = (timings: Timing[]) => timings.map((t) => t.total);
  const firsts = (timings: Timing[]) => timings.map((t) => t.firstText);
  const { whole, streamed, slow } = added;
  console.log(`\n| ms, direct / via daemon (added) | p50 | p95 |`);
  console.log('| --- | --- | --- |');
  printAdded(`whole answer, "stream": false, n=${SEQUENTIAL}`, totals(whole.direct), totals(whole.daemon));
  printAdded(
    `first chunk, "stream": true, n=${SEQUENTIAL}`,
    firsts(streamed.direct),
    firsts(streamed.daemon),
  );
  printAdded(
    `whole answer, "stream": true, n=${SEQUENTIAL}`,
    totals(streamed.direct),
    totals(streamed.daemon),
  );
  printAdded(
    `first chunk, upstream 250 ms + 40 chunks 5 ms apart, n=${STREAM_RUNS}`,
    firsts(slow.direct),
    firsts(slow.daemon),
  );
  printAdded(`whole answer, same slow upstream, n=${STREAM_RUNS}`, totals(slow.direct), totals(slow.daemon));
  const addedP50 = p(totals(whole.daemon), 50) - p(totals(whole.direct), 50);
  console.log(
    `\nTarget ≤ 5 ms added at p50 ("stream": false): ${addedP50 <= 5 ? 'met' : 'not met'} (${signed(addedP50)} ms). ` +
      `Daemon CPU per "stream": false request: ${f(added.daemonCpuMsPerRequest)} ms.`,
  );
}

function printMemory(rss: { fresh: number; warm: number; after: number }): void {
  console.log(`\n| daemon RSS | MiB |`);
  console.log('| --- | --- |');
  console.log(`| idle, 1 s after its first ping | ${f1(rss.fresh)} |`);
  console.log(`| idle, 1 s after 50 warm-up requests | ${f1(rss.warm)} |`);
  const requests = 51 + 2 * SEQUENTIAL + STREAM_RUNS + 2 * PER_REQUEST;
  console.log(`| after the whole run (${requests} requests) | ${f1(rss.after)} |`);
}

const emulator = await startEmulatorProcess(['--chunks', '24']);
const daemonStores = await cliStores(emulator);
const chatStores = await cliStores(emulator);
const direct = directClient(emulator.url, emulator.account.accessToken, PROMPT);
const slowDirect = directClient(emulator.url, emulator.account.accessToken, SLOW_PROMPT);
let daemon: DaemonProcess | undefined;

try {
  const spawns = await spawnTimes(daemonStores, chatStores);
  const warm = (daemon = spawnDaemon(daemonStores));
  await warm.ping();
  await pause(1000); // start-up work settles (account checks, GC) before the idle figure
  const fresh = rssMiB(warm.pid);
  await interleaved(50, direct, (i) => warm.ask(`${PROMPT} warm-up #${i}`, false)); // JIT, connection pools
  await pause(1000);
  const rssWarm = rssMiB(warm.pid);
  const daemonCpuMs = cumulativeCpuMs(warm.pid);
  const added = await addedLatency(warm, daemonCpuMs);
  const perRequest = await daemonVsChat(warm, daemonCpuMs);
  const after = rssMiB(warm.pid);

  printSpawns(spawns);
  printAddedLatency(added);
  printPerRequest(perRequest);
  printMemory({ fresh, warm: rssWarm, after });
} finally {
  closeBenchClients();
  await daemon?.close();
  await emulator.stop();
  await Promise.all([daemonStores.remove(), chatStores.remove()]);
}
