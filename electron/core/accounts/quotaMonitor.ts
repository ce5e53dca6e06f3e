/**
 * Reads each account's quota from Kiro: at start, every `intervalMs`, and on demand (after a quota error, or
 * when the user asks). One fetch per account at a time.
 */
import type { Clock, Logger, Timer } from '../ports.ts';
import type { QuotaSnapshot } from './accountModel.ts';
import { normalizeUsageLimits } from './usageLimits.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export interface QuotaMonitorOptions {
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  accounts(): string[];
  fetch(accountId: string): Promise<unknown>;
  onQuota(accountId: string, quota: QuotaSnapshot): void;
  /** A check Kiro refused or that could not reach it: the account's last error says why. */
  onFailure?(accountId: string, error: unknown): void;
  /**
   * The account's quota was read lately elsewhere (another replica shared its reading): the periodic sweep leaves
   * it out, so that a cluster reads each quota about once per interval rather than once per replica.
   */
  readLately?(accountId: string): boolean;
}

/** A quota read: the quota, or why there is none (Kiro's refusal, or no answer at all). */
export type QuotaRead = { quota: QuotaSnapshot } | { error: unknown };

export interface QuotaMonitor {
  start(): void;
  /** Reads every account's quota now and restarts the interval (after sleep and wake). */
  sweepNow(): void;
  checkNow(accountId: string): Promise<QuotaSnapshot | undefined>;
  /** As checkNow, keeping the failure for a caller that reports it (one read either way). */
  read(accountId: string): Promise<QuotaRead>;
  dispose(): void;
}

export function createQuotaMonitor(options: QuotaMonitorOptions): QuotaMonitor {
  const inFlight = new Map<string, Promise<QuotaRead>>();
  let timer: Timer | undefined;
  let disposed = false;

  function read(accountId: string): Promise<QuotaRead> {
    const running = inFlight.get(accountId);
    if (running) return running;
    const check = (async (): Promise<QuotaRead> => {
      try {
        const quota = normalizeUsageLimits(await options.fetch(accountId), options.clock.now());
        if (!disposed) options.onQuota(accountId, quota);
        return { quota };
      } catch (error) {
        options.logger.warn({ account: accountId, error: errorMessage(error) }, 'quota check failed');
        if (!disposed) options.onFailure?.(accountId, error);
        return { error };
      } finally {
        inFlight.delete(accountId);
      }
    })();
    inFlight.set(accountId, check);
    return check;
  }

  const checkNow = async (accountId: string) => {
    const answer = await read(accountId);
    return 'quota' in answer ? answer.quota : undefined;
  };

  /** Every account at start and after a wake; on the interval, those no one has read lately. */
  function sweep(periodic = false): void {
    timer?.cancel();
    if (disposed) return;
    for (const accountId of options.accounts())
      if (!(periodic && options.readLately?.(accountId))) void checkNow(accountId);
    timer = options.clock.setTimer(() => sweep(true), options.intervalMs);
  }

  return {
    start: () => sweep(),
    sweepNow: () => sweep(),
    checkNow,
    read,
    dispose() {
      disposed = true;
      timer?.cancel();
    },
  };
}
