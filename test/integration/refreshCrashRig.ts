/**
 * Kills a real `kiro-dock serve` (file secret store, a Kiro IDE login) with SIGKILL at a chosen moment of a
 * token refresh, and starts it again on the same folders. The emulator rotates refresh tokens and kills the old
 * one as it handles the request, so a restart can refresh only if the answer's token was kept somewhere.
 *
 * A trial: start `serve`; its access token lives shorter than the refresh lead time, so it refreshes at once,
 * and that refresh shows whether the previous kill lost the login; let it settle; ask it for a refresh through
 * the admin API (an idle process refreshing, as a proactive refresh finds it) and kill it at the planned
 * moment. Shared by refreshCrash.test.ts and bench/refreshCrashBench.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { folderState, sleepBlocking, watchFolder, type FolderWatch } from './folderChanges.ts';
import { writeIdeLogin } from './proxyHarness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CRASH_CLIENT_KEY = 'kd-refresh-crash';
const ADMIN_TOKEN = 'kda-refresh-crash';
/** Shorter than the 5-minute refresh lead: a start refreshes at once; longer than the 60 s a lease needs. */
const ACCESS_TOKEN_TTL_SECONDS = 120;
/** After the start's refresh: the quota check and the rest of the start-up are over by then. */
const SETTLE_MS = 300;
const POKE_AFTER_MS = 1_500;
const OUTCOME_TIMEOUT_MS = 20_000;

export interface CrashRig {
  emulator: KiroEmulator;
  authDir: string;
  dataDir: string;
  /** Signs the IDE in again with a new emulator account (after a lost login, to go on measuring). */
  newIdeLogin(): Promise<void>;
  close(): Promise<void>;
}

export async function createCrashRig(): Promise<CrashRig> {
  const emulator = await startKiroEmulator({ strict: true, accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS });
  const authDir = await fs.mkdtemp(path.join(os.tmpdir(), 'crash-auth-'));
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'crash-data-'));
  const newIdeLogin = () => writeIdeLogin(authDir, emulator.createSocialAccount());
  await newIdeLogin();
  return {
    emulator,
    authDir,
    dataDir,
    newIdeLogin,
    async close() {
      await emulator.close();
      await fs.rm(authDir, { recursive: true, force: true });
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * When to kill: a fixed time after the answer left the emulator, at the first change in the data folder after
 * it, or before the answer (the upstream has rotated, the answer is still to come: the round trip).
 */
export type KillPlan = { at: 'delay'; delayMs: number } | { at: 'first-write' } | { at: 'before-answer' };

export interface StartOutcome {
  /** How the start's refresh ended: a 200 (the previous kill lost nothing) or every token rejected. */
  refresh: 'refreshed' | 'rejected';
  /** Refresh answers that rejected a token before the outcome (stale candidates tried). */
  rejectedAnswers: number;
}

export interface TrialResult extends StartOutcome {
  /** How long after the answer left the emulator the SIGKILL was sent (negative: before it). */
  killedAfterMs?: number;
  /** The process had written to its data folder after the answer, before it died. */
  wroteAfterAnswer?: boolean;
}

/** One start of `serve`, killed by `plan` during a refresh once it has started (not killed on a rejection). */
export async function crashTrial(rig: CrashRig, plan: KillPlan): Promise<TrialResult> {
  const served = spawnServe(rig, 'warn');
  try {
    const start = await startOutcome(rig, served);
    if (start.refresh === 'rejected') return start;
    const url = await served.listening;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    return { ...start, ...(await killDuringRefresh(rig, served, url, plan)) };
  } finally {
    served.child.kill('SIGKILL');
    await served.exited;
  }
}

export interface RunningServe {
  url: string;
  logLines: string[];
  /** Refreshes the account's token now (admin API). */
  refreshNow(): Promise<void>;
  stop(): Promise<void>;
}

/** A start that is not killed: resolves once it listens and its first refresh succeeded. */
export async function serveAfterCrashes(rig: CrashRig, logLevel = 'warn'): Promise<RunningServe> {
  const served = spawnServe(rig, logLevel);
  try {
    const start = await startOutcome(rig, served);
    if (start.refresh === 'rejected') throw new Error('needs re-login');
  } catch (error) {
    served.child.kill('SIGKILL');
    await served.exited;
    throw error;
  }
  const url = await served.listening;
  return {
    url,
    logLines: served.logLines,
    refreshNow: async () => void (await askForRefresh(url)),
    async stop() {
      served.child.kill('SIGTERM');
      await served.exited;
    },
  };
}

/** The start's own refresh; a start whose stored access token looks fresh is made to refresh by a request. */
function startOutcome(rig: CrashRig, served: ServeProcess): Promise<StartOutcome> {
  let rejectedAnswers = 0;
  let answered = false;
  pokeUnlessRefreshed(served, () => answered);
  return new Promise<StartOutcome>((resolve, reject) => {
    const stop = rig.emulator.onRefresh((event) => {
      if (event.phase !== 'answered') return;
      answered = true;
      if (event.status !== 200) return void (rejectedAnswers += 1);
      stop();
      resolve({ refresh: 'refreshed', rejectedAnswers });
    });
    const fail = (error: Error) => (stop(), reject(error));
    void served.needsRelogin.then(() => (stop(), resolve({ refresh: 'rejected', rejectedAnswers })));
    void served.exited.then(() => fail(new Error(`serve exited early:\n${served.logLines.join('\n')}`)));
    setTimeout(() => fail(new Error('no refresh outcome in time')), OUTCOME_TIMEOUT_MS).unref();
  });
}

/**
 * The emulator expires every access token issued before a start, so a start whose stored token still looks
 * fresh (and so does not refresh by itself) refreshes at the first request, and shows whether it still can.
 */
function pokeUnlessRefreshed(served: ServeProcess, answered: () => boolean): void {
  void served.listening.then(
    async (url) => {
      await new Promise((resolve) => setTimeout(resolve, POKE_AFTER_MS));
      if (answered() || served.child.exitCode !== null) return;
      const hello = {
        model: 'claude-sonnet-4-5',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'hi' }],
      };
      await fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': CRASH_CLIENT_KEY },
        body: JSON.stringify(hello),
      }).catch(() => undefined);
    },
    () => undefined,
  );
}

/** Asks for a refresh and kills the process by `plan` during it. */
function killDuringRefresh(
  rig: CrashRig,
  served: ServeProcess,
  url: string,
  plan: KillPlan,
): Promise<Pick<TrialResult, 'killedAfterMs' | 'wroteAfterAnswer'>> {
  const watch = watchFolder(rig.dataDir);
  /** The folder as the refresh was handled: the process is waiting for the answer, writing nothing. */
  let before = '';
  let handledAt = 0;
  const killed = new Promise<Pick<TrialResult, 'killedAfterMs' | 'wroteAfterAnswer'>>((resolve, reject) => {
    const stop = rig.emulator.onRefresh((event) => {
      if (event.phase === 'handled') {
        before = folderState(rig.dataDir);
        handledAt = event.at;
        // Synchronously, inside the emulator's handler: the answer is not written until this returns.
        if (plan.at === 'before-answer') served.child.kill('SIGKILL');
        return;
      }
      stop();
      if (plan.at === 'before-answer')
        return resolve({ killedAfterMs: handledAt - event.at, wroteAfterAnswer: false });
      killAfter(served.child, { answeredAt: event.at, before, plan, dataDir: rig.dataDir, watch }).then(
        resolve,
        reject,
      );
    });
  });
  void askForRefresh(url).catch(() => undefined);
  return killed.finally(() => watch.close());
}

async function askForRefresh(url: string): Promise<Response> {
  const accounts = (await (await fetch(`${url}/admin/accounts`, { headers: adminHeaders() })).json()) as {
    accounts: Array<{ id: string }>;
  };
  return fetch(`${url}/admin/accounts/${accounts.accounts[0]!.id}/refresh`, {
    method: 'POST',
    headers: adminHeaders(),
  });
}

function adminHeaders(): Record<string, string> {
  return { authorization: `Bearer ${ADMIN_TOKEN}` };
}

interface KillMoment {
  answeredAt: number;
  before: string;
  plan: KillPlan;
  dataDir: string;
  watch: FolderWatch;
}

async function killAfter(
  child: ChildProcess,
  { answeredAt, before, plan, dataDir, watch }: KillMoment,
): Promise<Pick<TrialResult, 'killedAfterMs' | 'wroteAfterAnswer'>> {
  if (plan.at === 'first-write') await watch.nextChange(() => folderState(dataDir) !== before);
  else if (plan.at === 'delay') sleepBlocking(answeredAt + plan.delayMs - performance.now());
  // Read before the signal is sent: after it, this thread may be descheduled while the process dies.
  const killedAfterMs = performance.now() - answeredAt;
  child.kill('SIGKILL');
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  return { killedAfterMs, wroteAfterAnswer: folderState(dataDir) !== before };
}

interface ServeProcess {
  child: ChildProcess;
  listening: Promise<string>;
  /** Resolves when the process reports that its refresh token was rejected for good. */
  needsRelogin: Promise<void>;
  exited: Promise<void>;
  logLines: string[];
}

function spawnServe(rig: CrashRig, logLevel: string): ServeProcess {
  // Only a refresh token that was kept can serve after the restart, whatever the stored expiry says.
  rig.emulator.expireAccessTokens();
  const args = ['--import', 'tsx', 'electron/cli.ts', 'serve', '--port', '0'];
  args.push('--kiro-auth-dir', rig.authDir, '--data-dir', rig.dataDir, '--secret-store', 'file');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      KIRO_DOCK_UPSTREAM_URL: rig.emulator.url,
      KIRO_DOCK_API_KEY: CRASH_CLIENT_KEY,
      KIRO_DOCK_ADMIN_TOKEN: ADMIN_TOKEN,
      KIRO_DOCK_LOG_LEVEL: logLevel,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = new Promise<string>((resolve, reject) => {
    onLines(child.stdout!, (line) => {
      const match = line.match(/Kiro Dock listening on (\S+)/);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error('serve exited before listening')));
  });
  listening.catch(() => undefined);
  const needsRelogin = new Promise<void>((resolve) => {
    onLines(child.stderr!, (line) => {
      logLines.push(line);
      if (line.includes('"msg":"token refresh failed"') && line.includes('"permanent":true')) resolve();
    });
  });
  return { child, listening, needsRelogin, exited, logLines };
}

function onLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}
