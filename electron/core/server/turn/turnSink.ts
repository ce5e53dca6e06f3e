/** What a turn's output goes to, and how a failed attempt shows: shared by the request path, the caches and stats. */
import type { UpstreamError } from '../../kiro/upstreamError.ts';
import type { TurnEvent } from '../../translate/turnEvents.ts';

export interface TurnSink {
  /** Receives output as it is produced; the first call commits the turn (no retry after it when streaming). */
  onOutput(events: TurnEvent[]): Promise<void> | void;
  /**
   * Whether a failed attempt that already produced output may be retried from scratch: true when the output
   * was only buffered (non-streaming), never when any of it reached the client.
   */
  canRestartAfterOutput: boolean;
  /** Called before a restart so a buffering sink can drop the failed attempt's output. */
  onRestart?(): void;
  /**
   * Called at each attempt with the account serving it and, from the second attempt on, the failure of the
   * attempt before it (what made the request retry or fail over).
   */
  onAttempt?(accountId: string, attempt: number, retryOf?: FailedAttempt): void;
}

/** An attempt that failed and was retried, as the requests log shows it. */
export interface FailedAttempt {
  accountId: string;
  kind: UpstreamError['kind'];
  /** Kiro's HTTP status, when it answered. */
  status?: number;
}
