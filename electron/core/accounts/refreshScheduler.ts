/**
 * When to refresh each account's access token, so that requests never wait for a refresh in steady state: a
 * little before expiry, spread by jitter so that accounts added together do not refresh together, one refresh
 * at a time per account, retries with growing delays after transient failures, nothing more after a permanent
 * one. Knows nothing of HTTP: the refresh itself is a callback.
 */
import type { Clock, Timer } from '../ports.ts';

export interface RefreshSchedulerOptions {
  clock: Clock;
  /** Performs one refresh of the account (network + persistence) and returns the new expiry (epoch ms). */
  refresh(accountId: string): Promise<{ expiresAt: number }>;
  /** true for failures a retry cannot fix (refresh token rejected → needs re-login). */
  isPermanentFailure(error: unknown): boolean;
  /** A refresh of a tracked account failed (an account untracked meanwhile, e.g. removed, is not reported). */
  onFailure?(accountId: string, error: unknown, permanent: boolean): void;
  /** Default 5 min before expiry. */
  leadMs?: number;
  /** Default 60 s: scheduled at expiresAt - leadMs - random*jitterMs, so accounts spread out. */
  jitterMs?: number;
  /** Transient failures: default [30 s, 60 s, 120 s, 300 s], the last one repeats. */
  retryDelaysMs?: number[];
  random?: () => number;
}

export interface RefreshScheduler {
  /**
   * (Re)schedules the account's proactive refresh; undefined expiry (API keys) = nothing scheduled. A due time
   * in the past refreshes now. Tracking the expiry already tracked keeps the pending timer, so a retry backoff
   * is not cut short by callers that re-sync.
   */
  track(accountId: string, expiresAt: number | undefined): void;
  untrack(accountId: string): void;
  /**
   * Joins the in-flight refresh of this account or starts one (single flight); resolves when done, rejects with
   * its error. For a tracked account, a successful refresh re-tracks with the new expiry, a transient failure
   * schedules a retry by retryDelaysMs and a permanent one schedules nothing more; an untracked account (e.g. a
   * disabled one) is refreshed once and stays untracked.
   */
  refreshNow(accountId: string): Promise<void>;
  isRefreshing(accountId: string): boolean;
  /**
   * Refreshes now every tracked account whose proactive refresh time has passed, whatever its timer says (after
   * sleep and wake, a retry delay may still be running on a token that has expired meanwhile).
   */
  recheckAll(): void;
  /** Cancels every timer; later calls are no-ops / rejections, in-flight promises still settle. */
  dispose(): void;
}

export const DEFAULT_REFRESH_LEAD_MS = 5 * 60_000;
export const DEFAULT_REFRESH_JITTER_MS = 60_000;
export const DEFAULT_REFRESH_RETRY_DELAYS_MS: readonly number[] = [30_000, 60_000, 120_000, 300_000];

interface TrackedAccount {
  expiresAt?: number;
  timer?: Timer;
  /** Transient failures in a row, for the retry delay. */
  failures: number;
  /** A permanent failure happened: re-tracking the same expiry must not start another doomed refresh. */
  stopped: boolean;
}

export function createRefreshScheduler(options: RefreshSchedulerOptions): RefreshScheduler {
  const { clock } = options;
  const leadMs = options.leadMs ?? DEFAULT_REFRESH_LEAD_MS;
  const jitterMs = options.jitterMs ?? DEFAULT_REFRESH_JITTER_MS;
  const retryDelaysMs = options.retryDelaysMs ?? DEFAULT_REFRESH_RETRY_DELAYS_MS;
  const random = options.random ?? Math.random;
  const tracked = new Map<string, TrackedAccount>();
  // Apart from `tracked` so that untracking and re-tracking during a refresh can never start a second one.
  const inFlight = new Map<string, Promise<void>>();
  let disposed = false;

  const current = (accountId: string) => (disposed ? undefined : tracked.get(accountId));

  /**
   * The proactive refresh is a wall-clock deadline (a token's expiry is a date: a 30-day token is refreshed in 30
   * days, and after sleep and wake at once); a retry after a failure is a delay.
   */
  function schedule(
    accountId: string,
    account: TrackedAccount,
    when: { at: number } | { inMs: number },
  ): void {
    account.timer?.cancel();
    const due = () => {
      account.timer = undefined;
      startInBackground(accountId);
    };
    account.timer = 'at' in when ? clock.setTimerAt(due, when.at) : clock.setTimer(due, when.inMs);
  }

  function startInBackground(accountId: string): void {
    start(accountId).catch(() => {
      // Already reported through onFailure; nobody else is waiting for this refresh.
    });
  }

  /** When to refresh a token expiring at `expiresAt`, ahead of time. */
  function proactiveDeadline(expiresAt: number): number {
    return expiresAt - leadMs - random() * jitterMs;
  }

  function start(accountId: string): Promise<void> {
    let running = inFlight.get(accountId);
    if (!running) {
      running = run(accountId).finally(() => inFlight.delete(accountId));
      inFlight.set(accountId, running);
    }
    return running;
  }

  async function run(accountId: string): Promise<void> {
    const before = tracked.get(accountId);
    before?.timer?.cancel();
    if (before) before.timer = undefined;
    try {
      const { expiresAt } = await options.refresh(accountId);
      const account = current(accountId);
      if (!account) return;
      Object.assign(account, { failures: 0, stopped: false, expiresAt });
      // A token living shorter than the lead time would otherwise be refreshed again at once, in a loop.
      schedule(accountId, account, {
        at: Math.max(proactiveDeadline(expiresAt), clock.now() + (retryDelaysMs[0] ?? 0)),
      });
    } catch (error) {
      const account = current(accountId);
      if (!account) throw error;
      const permanent = options.isPermanentFailure(error);
      if (permanent) {
        account.stopped = true;
      } else {
        account.failures += 1;
        schedule(accountId, account, {
          inMs: retryDelaysMs[Math.min(account.failures, retryDelaysMs.length) - 1] ?? 0,
        });
      }
      options.onFailure?.(accountId, error, permanent);
      throw error;
    }
  }

  return {
    track(accountId, expiresAt) {
      if (disposed) return;
      const account = tracked.get(accountId) ?? { failures: 0, stopped: false };
      tracked.set(accountId, account);
      const busy = account.timer !== undefined || inFlight.has(accountId) || account.stopped;
      if (account.expiresAt === expiresAt && busy) return;
      account.timer?.cancel();
      Object.assign(account, { expiresAt, timer: undefined, stopped: false });
      if (expiresAt === undefined || inFlight.has(accountId)) return;
      const deadline = proactiveDeadline(expiresAt);
      if (deadline > clock.now()) schedule(accountId, account, { at: deadline });
      else startInBackground(accountId);
    },
    untrack(accountId) {
      tracked.get(accountId)?.timer?.cancel();
      tracked.delete(accountId);
    },
    refreshNow(accountId) {
      if (disposed) return Promise.reject(new Error('The refresh scheduler has been disposed.'));
      return start(accountId);
    },
    isRefreshing: (accountId) => inFlight.has(accountId),
    recheckAll() {
      if (disposed) return;
      const now = clock.now();
      for (const [accountId, account] of tracked) {
        const due = account.expiresAt !== undefined && account.expiresAt - leadMs <= now;
        if (due && !account.stopped && !inFlight.has(accountId)) startInBackground(accountId);
      }
    },
    dispose() {
      disposed = true;
      for (const account of tracked.values()) account.timer?.cancel();
      tracked.clear();
    },
  };
}
