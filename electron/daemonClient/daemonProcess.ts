/**
 * One running `kiro-dock daemon` child: requests written as JSON lines with an id of our own, answer lines routed
 * back to their request by that id, pings with a deadline. When the child dies, every request still waiting is
 * failed with DAEMON_EXITED, so the client can decide what to retry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Clock } from '../core/ports.ts';
import { DAEMON_EXITED, KiroDockError } from './kiroDockError.ts';

export interface KiroDockCommand {
  /** The program (`kiro-dock`, or `node` with `args` naming the CLI). */
  command: string;
  /** Before the subcommand (e.g. `['--import', 'tsx', 'electron/cli.ts']`). */
  args: string[];
  /** After the subcommand: `--data-dir`, `--secret-store`, `--model`… as for serve. */
  flags: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface AnswerSink {
  text(chunk: string): void;
  done(): void;
  fail(error: KiroDockError): void;
}

export interface DaemonExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what it wrote on stderr: why it died, when it says so. */
  stderr: string;
}

export interface DaemonProcess {
  readonly pid: number | undefined;
  request(fields: Record<string, unknown>, sink: AnswerSink): void;
  /** Whether a pong came back within `timeoutMs`. */
  ping(timeoutMs: number): Promise<boolean>;
  /** Closes its stdin: it finishes what is in flight and exits. */
  end(): void;
  kill(): void;
  readonly exited: Promise<DaemonExit>;
}

const STDERR_KEPT = 4_000;

export function startDaemonProcess(spec: KiroDockCommand, clock: Clock): DaemonProcess {
  const child = spawn(spec.command, [...spec.args, 'daemon', ...spec.flags], {
    env: spec.env ?? process.env,
    cwd: spec.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const sinks = new Map<string, AnswerSink>();
  let stderr = '';
  let nextId = 1;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT);
  });
  // A write after the child died fails with EPIPE; the exit handler has failed those requests already.
  child.stdin.on('error', () => {});
  createInterface({ input: child.stdout }).on('line', (line) => routeLine(line, sinks));
  const exited = exitOf(child, () => stderr).then((exit) => {
    const error = new KiroDockError(DAEMON_EXITED, `kiro-dock daemon exited (${describeExit(exit)})`);
    for (const sink of sinks.values()) sink.fail(error);
    sinks.clear();
    return exit;
  });
  let alive = true;
  void exited.then(() => (alive = false));
  const send = (fields: Record<string, unknown>, sink: AnswerSink) => {
    const id = `kd${nextId++}`;
    if (!alive) return sink.fail(new KiroDockError(DAEMON_EXITED, 'kiro-dock daemon is not running'));
    sinks.set(id, sink);
    child.stdin.write(`${JSON.stringify({ ...fields, id })}\n`);
  };
  return {
    get pid() {
      return child.pid;
    },
    request: send,
    ping: (timeoutMs) => pingOnce(send, clock, timeoutMs),
    end: () => void child.stdin.end(),
    kill: () => void child.kill('SIGKILL'),
    exited,
  };
}

function pingOnce(
  send: (fields: Record<string, unknown>, sink: AnswerSink) => void,
  clock: Clock,
  timeoutMs: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    const deadline = clock.setTimer(() => resolve(false), timeoutMs);
    const settle = (ok: boolean) => {
      deadline.cancel();
      resolve(ok);
    };
    send({ ping: true }, { text: () => {}, done: () => settle(true), fail: () => settle(false) });
  });
}

/** One answer line → its request's sink; the sink is forgotten once the answer is complete. */
function routeLine(line: string, sinks: Map<string, AnswerSink>): void {
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return; // the daemon writes only JSON; anything else is not an answer to anything
  }
  const id = typeof message['id'] === 'string' ? message['id'] : undefined;
  const sink = id === undefined ? undefined : sinks.get(id);
  if (!sink || id === undefined) return;
  const finished = message['pong'] === true || message['done'] !== false;
  if (finished) sinks.delete(id);
  const error = message['error'] as { type?: unknown; message?: unknown } | undefined;
  if (error !== undefined) {
    const type = typeof error.type === 'string' ? error.type : 'api_error';
    return sink.fail(new KiroDockError(type, typeof error.message === 'string' ? error.message : ''));
  }
  if (typeof message['content'] === 'string' && message['content'] !== '') sink.text(message['content']);
  if (finished) sink.done();
}

function exitOf(child: ChildProcess, stderr: () => string): Promise<DaemonExit> {
  return new Promise((resolve) => {
    // 'error' alone when the program could not be started at all (ENOENT).
    child.once('error', (error) => resolve({ code: null, signal: null, stderr: error.message }));
    // 'close' rather than 'exit': it comes after the last stdout line was read and routed.
    child.once('close', (code, signal) => resolve({ code, signal, stderr: stderr() }));
  });
}

export function describeExit(exit: DaemonExit): string {
  const how = exit.signal ? `killed by ${exit.signal}` : `status ${exit.code}`;
  const why = exit.stderr.trim().split('\n').at(-1);
  return why ? `${how}: ${why}` : how;
}
