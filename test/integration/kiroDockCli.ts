/**
 * The real `kiro-dock` CLI as child processes (`node --import tsx electron/cli.ts …`) against a real emulator:
 * a temporary HOME, data folder and IDE login folder, the file secret store, and a daemon under test whose
 * stdout is kept raw, so tests can check that every byte of it is a JSON line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { writeIdeLogin } from './proxyHarness.ts';

/** How to run the CLI from source: what a DaemonClient takes as `command` and `args`. */
export const CLI_COMMAND = { command: process.execPath, args: ['--import', 'tsx', 'electron/cli.ts'] };

export interface CliFixture {
  emulator: KiroEmulator;
  /** The environment every process gets: the emulator as upstream, a temporary HOME. */
  env: NodeJS.ProcessEnv;
  /** The store flags every command gets (as for serve): the temporary data and IDE login folders. */
  flags: string[];
  dataDir: string;
  close(): Promise<void>;
}

export async function startCliFixture(): Promise<CliFixture> {
  const emulator = await startKiroEmulator({ strict: true });
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-cli-'));
  const [home, dataDir, authDir] = ['home', 'data', 'auth'].map((name) => path.join(root, name));
  for (const dir of [home!, dataDir!, authDir!]) await fs.mkdir(dir, { recursive: true });
  await writeIdeLogin(authDir!, emulator.createSocialAccount());
  return {
    emulator,
    env: { ...process.env, HOME: home, KIRO_DOCK_UPSTREAM_URL: emulator.url, KIRO_DOCK_LOG_LEVEL: 'warn' },
    flags: ['--data-dir', dataDir!, '--secret-store', 'file', '--kiro-auth-dir', authDir!],
    dataDir: dataDir!,
    async close() {
      await emulator.close();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

export interface DaemonUnderTest {
  child: ChildProcess;
  /** Writes one line (an object is sent as JSON). */
  send(line: object | string): void;
  /** The next stdout line, parsed. */
  next(): Promise<Record<string, unknown>>;
  /** Lines until (and including) the first that matches. */
  until(matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]>;
  /** Everything written to stdout so far, as is. */
  rawStdout(): string;
  stderr(): string;
  /** Closes stdin and resolves with the exit status. */
  finish(): Promise<number | null>;
  exit: Promise<number | null>;
}

export function spawnDaemon(
  fixture: CliFixture,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): DaemonUnderTest {
  const child = spawn(CLI_COMMAND.command, [...CLI_COMMAND.args, 'daemon', ...fixture.flags, ...args], {
    env: { ...fixture.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const stdout = stdoutLines(child, exit, () => stderr);
  return {
    child,
    send: (line) => void child.stdin!.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`),
    next: stdout.next,
    async until(matches) {
      const seen: Record<string, unknown>[] = [];
      for (let line = await stdout.next(); ; line = await stdout.next()) {
        seen.push(line);
        if (matches(line)) return seen;
      }
    },
    rawStdout: stdout.raw,
    stderr: () => stderr,
    finish: () => {
      child.stdin!.end();
      return exit;
    },
    exit,
  };
}

/** A child's stdout, kept raw and as parsed lines to be taken one by one. */
function stdoutLines(child: ChildProcess, exit: Promise<unknown>, stderr: () => string) {
  let raw = '';
  let lineStart = 0;
  let exited = false;
  const lines: Record<string, unknown>[] = [];
  const waiters: Array<() => void> = [];
  const wakeAll = () => waiters.splice(0).forEach((wake) => wake());
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk;
    for (let end = raw.indexOf('\n', lineStart); end !== -1; end = raw.indexOf('\n', lineStart)) {
      lines.push(parsedLine(raw.slice(lineStart, end)));
      lineStart = end + 1;
    }
    wakeAll();
  });
  void exit.then(() => {
    exited = true;
    wakeAll();
  });
  return {
    raw: () => raw,
    async next(): Promise<Record<string, unknown>> {
      while (lines.length === 0) {
        if (exited) throw new Error(`daemon exited; stderr:\n${stderr()}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      return lines.shift()!;
    },
  };
}

/** A stdout line as an object; anything else is kept as `{notJson}` for the check below to report. */
function parsedLine(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  return { notJson: text };
}

/** What on stdout is not one JSON object per line (an empty list: nothing). */
export function nonJsonStdout(raw: string): string[] {
  const problems = raw.length > 0 && !raw.endsWith('\n') ? [`unterminated last line`] : [];
  for (const line of raw.split('\n').slice(0, -1)) if ('notJson' in parsedLine(line)) problems.push(line);
  return problems;
}

/** Runs `kiro-dock chat` with `stdin` as its input; its status, stdout and stderr. */
export function runChat(
  fixture: CliFixture,
  stdin: string,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(CLI_COMMAND.command, [...CLI_COMMAND.args, 'chat', ...fixture.flags, ...args], {
    env: fixture.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** The emulator's assistant calls, in order (token refreshes and usage reads left out). */
export function assistantCalls(emulator: KiroEmulator): Array<{ body: unknown }> {
  return emulator.requests.filter((request) => request.operation === 'generateAssistantResponse');
}
