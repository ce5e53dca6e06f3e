/**
 * Quitting without cutting answers: the first quit stops accepting, lets answers in flight finish for a bounded
 * time, disposes the core (its refresher and watchers) and flushes settings, then exits. A second quit while
 * that runs means "now": it exits at once. Plain Node: the Electron app is passed in.
 *
 * A shutdown, restart or log-off never emits before-quit on Windows, so the OS's own signals start the same
 * sequence with a shorter drain: powerMonitor's 'shutdown' (macOS, Linux), which may delay the shutdown, and a
 * window's 'query-session-end' (Windows); Windows' final 'session-end' allows no waiting, so it disposes and exits.
 */
import type { Logger } from '../core/ports.ts';

/** Long enough for a typical answer to end, short enough that quitting never feels stuck. */
export const QUIT_DRAIN_MS = 10_000;
/** Windows shows "this app is preventing shutdown" after about five seconds; stay below that. */
export const SHUTDOWN_DRAIN_MS = 4_000;

export interface QuitSteps {
  /** Stops accepting and waits for answers in flight, at most `drainMs`. */
  drain(drainMs: number): Promise<void>;
  dispose(): void;
  flush(): void;
  /** Ends the process without another before-quit (Electron's app.exit). */
  exit(code: number): void;
  logger: Logger;
  drainMs?: number;
}

export interface QuitEvent {
  preventDefault(): void;
}

export type QuitPhase = 'running' | 'draining' | 'exited';

export interface QuitSequence {
  /** The app's before-quit listener. */
  onBeforeQuit(event: QuitEvent): void;
  /** The session is ending (powerMonitor 'shutdown', 'query-session-end'): drain briefly, then exit. */
  onSystemShutdown(event?: QuitEvent): void;
  /** Windows' 'session-end': the process is about to be ended; dispose now and exit. */
  onSessionEnd(): void;
  phase(): QuitPhase;
  /** Settles when the first quit has finished its steps (for tests and logs). */
  finished(): Promise<void>;
}

export function createQuitSequence(steps: QuitSteps): QuitSequence {
  let phase: QuitPhase = 'running';
  let done: Promise<void> = Promise.resolve();

  const exit = (code: number) => {
    if (phase === 'exited') return;
    phase = 'exited';
    steps.exit(code);
  };

  let disposed = false;
  const disposeOnce = () => {
    if (disposed) return;
    disposed = true;
    steps.dispose();
    steps.flush();
  };

  async function run(drainMs: number): Promise<void> {
    steps.logger.info({ drainMs }, 'quitting: draining in-flight requests');
    let code = 0;
    try {
      await steps.drain(drainMs);
      disposeOnce();
    } catch (error) {
      code = 1;
      steps.logger.error({ err: error }, 'quitting: a shutdown step failed');
    }
    exit(code);
  }

  return {
    onBeforeQuit(event) {
      if (phase === 'exited') return;
      event.preventDefault();
      if (phase === 'draining') {
        steps.logger.warn({}, 'quit again while draining: exiting now');
        exit(0);
        return;
      }
      phase = 'draining';
      done = run(steps.drainMs ?? QUIT_DRAIN_MS);
    },
    onSystemShutdown(event) {
      if (phase !== 'running') return;
      event?.preventDefault();
      steps.logger.info({}, 'the session is ending');
      phase = 'draining';
      done = run(Math.min(steps.drainMs ?? SHUTDOWN_DRAIN_MS, SHUTDOWN_DRAIN_MS));
    },
    onSessionEnd() {
      if (phase === 'exited') return;
      steps.logger.warn({}, 'the session ended: exiting without waiting for answers');
      try {
        disposeOnce();
      } finally {
        exit(0);
      }
    },
    phase: () => phase,
    finished: () => done,
  };
}
