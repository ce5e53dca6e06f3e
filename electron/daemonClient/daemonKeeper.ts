/**
 * The daemon's life cycle behind the client: start, health pings, restart with backoff, and where each request
 * goes (the daemon while it runs, a one-shot `kiro-dock chat` while it does not).
 */
import { systemClock, type Clock, type Timer } from '../core/ports.ts';
import { runChatOnce, type ClientRequest } from './chatFallback.ts';
import type { DaemonClientEvent, DaemonClientOptions } from './daemonClient.ts';
import {
  startDaemonProcess,
  type DaemonExit,
  type DaemonProcess,
  type KiroDockCommand,
} from './daemonProcess.ts';
import { CLIENT_CLOSED, DAEMON_EXITED, KiroDockError } from './kiroDockError.ts';
import { DEFAULT_RESTART_BACKOFF, restartDelayMs } from './restartBackoff.ts';

type OnText = (chunk: string) => void;

export class DaemonKeeper {
  private readonly clock: Clock;
  private readonly spec: KiroDockCommand;
  private current: DaemonProcess | undefined;
  private closed = false;
  /** Restarts since the daemon last proved healthy; what the backoff grows with. */
  private restarts = 0;
  /** The next ping or the pending restart: at most one of them is ever armed. */
  private timer: Timer | undefined;

  constructor(private readonly options: DaemonClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.spec = {
      command: options.command ?? 'kiro-dock',
      args: options.args ?? [],
      flags: options.flags ?? [],
      env: options.env,
      cwd: options.cwd,
    };
    this.launch();
  }

  get state(): 'running' | 'restarting' | 'closed' {
    if (this.closed) return 'closed';
    return this.current ? 'running' : 'restarting';
  }

  get pid(): number | undefined {
    return this.current?.pid;
  }

  ask(request: ClientRequest, stream: boolean, onText: OnText): Promise<void> {
    if (this.closed) return Promise.reject(new KiroDockError(CLIENT_CLOSED, 'the daemon client was closed'));
    const daemon = this.current;
    if (!daemon) return this.fallback(request, onText, 'restarting');
    return new Promise((resolve, reject) => {
      let answered = false;
      daemon.request(
        { ...request, stream },
        {
          text: (chunk) => {
            answered = true;
            onText(chunk);
          },
          done: resolve,
          fail: (error) => {
            // Text already given to the caller cannot be taken back, so only an unanswered request is retried.
            if (error.type !== DAEMON_EXITED || answered || this.closed) return reject(error);
            this.fallback(request, onText, 'daemon-exited').then(resolve, reject);
          },
        },
      );
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    const daemon = this.current;
    if (!daemon) return;
    daemon.end();
    const deadline = this.clock.setTimer(() => daemon.kill(), this.options.closeTimeoutMs ?? 30_000);
    await daemon.exited;
    deadline.cancel();
  }

  private launch(): void {
    const daemon = startDaemonProcess(this.spec, this.clock);
    this.current = daemon;
    this.emit({ type: 'started', pid: daemon.pid });
    void daemon.exited.then((exit) => this.onExit(daemon, exit));
    this.checkHealth(daemon, this.options.startTimeoutMs ?? 60_000, true);
  }

  /** Pings now; a pong schedules the next ping, silence kills the daemon (and its exit restarts it). */
  private checkHealth(daemon: DaemonProcess, timeoutMs: number, first: boolean): void {
    void daemon.ping(timeoutMs).then((ok) => {
      if (this.current !== daemon || this.closed) return;
      if (!ok) {
        this.emit({ type: 'unresponsive', pid: daemon.pid });
        return daemon.kill();
      }
      if (first) {
        this.restarts = 0;
        this.emit({ type: 'ready', pid: daemon.pid });
      }
      const next = () => this.checkHealth(daemon, this.options.pingTimeoutMs ?? 5_000, false);
      this.timer = this.clock.setTimer(next, this.options.pingIntervalMs ?? 15_000);
    });
  }

  private onExit(daemon: DaemonProcess, exit: DaemonExit): void {
    if (this.current !== daemon) return;
    this.current = undefined;
    this.timer?.cancel();
    this.emit({ type: 'exited', pid: daemon.pid, exit });
    if (this.closed) return;
    this.restarts += 1;
    const delayMs = restartDelayMs(this.restarts, this.options.restartBackoff ?? DEFAULT_RESTART_BACKOFF);
    this.emit({ type: 'restart-scheduled', attempt: this.restarts, delayMs });
    this.timer = this.clock.setTimer(() => this.launch(), delayMs);
  }

  private fallback(request: ClientRequest, onText: OnText, reason: 'restarting' | 'daemon-exited') {
    this.emit({ type: 'fallback', reason });
    return runChatOnce(this.spec, request, onText);
  }

  private emit(event: DaemonClientEvent): void {
    this.options.onEvent?.(event);
  }
}
