/**
 * Keeps one `kiro-dock daemon` alive for a program that asks Kiro many questions: started at once, pinged every
 * `pingIntervalMs` (one that stops answering is killed), started again with a doubling backoff whenever it dies.
 * While it is down, each request runs as a one-shot `kiro-dock chat` instead, and a request the daemon took
 * with it before answering anything is retried that way too, so callers see answers, not restarts.
 */
import type { Clock } from '../core/ports.ts';
import type { ClientRequest } from './chatFallback.ts';
import { DaemonKeeper } from './daemonKeeper.ts';
import type { DaemonExit } from './daemonProcess.ts';
import type { RestartBackoff } from './restartBackoff.ts';
import { createTextStream } from './textStream.ts';

export type { ClientRequest } from './chatFallback.ts';
export { KiroDockError } from './kiroDockError.ts';

export interface DaemonClientOptions {
  /** Default `kiro-dock`; or `process.execPath` with `args` naming the CLI script. */
  command?: string;
  args?: string[];
  /** After `daemon` / `chat`: `--model`, `--data-dir`, `--secret-store`… as for serve. */
  flags?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Default: real time. Backoff, pings and the stop deadline all go through it. */
  clock?: Clock;
  restartBackoff?: RestartBackoff;
  /** Default 15 s between health pings, each answered within 5 s; the first within 60 s (start-up). */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  startTimeoutMs?: number;
  /** After close(), how long answers in flight may take before the daemon is killed (default 30 s). */
  closeTimeoutMs?: number;
  onEvent?(event: DaemonClientEvent): void;
}

export type DaemonClientEvent =
  | { type: 'started'; pid: number | undefined }
  /** It answered its first ping: the backoff starts over. */
  | { type: 'ready'; pid: number | undefined }
  | { type: 'exited'; pid: number | undefined; exit: DaemonExit }
  | { type: 'restart-scheduled'; attempt: number; delayMs: number }
  | { type: 'unresponsive'; pid: number | undefined }
  /** A request went to a one-shot `kiro-dock chat`. */
  | { type: 'fallback'; reason: 'restarting' | 'daemon-exited' };

export interface DaemonClient {
  /** The whole answer. Rejects with a KiroDockError. */
  complete(request: ClientRequest): Promise<string>;
  /** The answer as it streams. Throws a KiroDockError. */
  stream(request: ClientRequest): AsyncIterable<string>;
  readonly state: 'running' | 'restarting' | 'closed';
  /** The running daemon's process id. */
  readonly pid: number | undefined;
  /** Lets the daemon finish what is in flight (EOF on its stdin), then stops it. */
  close(): Promise<void>;
}

export function createDaemonClient(options: DaemonClientOptions = {}): DaemonClient {
  const keeper = new DaemonKeeper(options);
  const ask = (request: ClientRequest, stream: boolean, onText: (chunk: string) => void) =>
    keeper.ask(request, stream, onText);
  return {
    async complete(request) {
      let text = '';
      await ask(request, false, (chunk) => (text += chunk));
      return text;
    },
    stream(request) {
      const text = createTextStream();
      ask(request, true, (chunk) => text.push(chunk)).then(
        () => text.end(),
        (error: unknown) => text.fail(error),
      );
      return text;
    },
    get state() {
      return keeper.state;
    },
    get pid() {
      return keeper.pid;
    },
    close: () => keeper.close(),
  };
}
