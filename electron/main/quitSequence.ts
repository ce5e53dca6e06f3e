/**
 * Quitting without cutting answers: the first quit stops accepting, lets answers in flight finish for a bounded
 * time, disposes the core (its refresher and watchers) and flushes settings, then exits. A second quit while
 * that runs means "now": it exits at once. Plain Node: the Electron app is passed in.
 */
import type { Logger } from '../core/ports.ts';

/** Long enough for a typical answer to end, short enough that quitting never feels stuck. */
export const QUIT_DRAIN_MS = 10_000;

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

  async function run(): Promise<void> {
    steps.logger.info({ drainMs: steps.drainMs ?? QUIT_DRAIN_MS }, 'quitting: draining in-flight requests');
    let code = 0;
    try {
      await steps.drain(steps.drainMs ?? QUIT_DRAIN_MS);
      steps.dispose();
      steps.flush();
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
      done = run();
    },
    phase: () => phase,
    finished: () => done,
  };
}
