/**
 * Reads each account's quota from Kiro: at start, every `intervalMs`, and on demand (after a quota error, or
 * when the user asks). One fetch per account at a time.
 */
import type { Clock, Logger, Timer } from '../ports.ts';
import type { QuotaSnapshot } from './accountModel.ts';
import { normalizeUsageLimits } from './usageLimits.ts';

export interface QuotaMonitorOptions {
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  accounts(): string[];
  fetch(accountId: string): Promise<unknown>;
  onQuota(accountId: string, quota: QuotaSnapshot): void;
  /** A check Kiro refused or that could not reach it: the account's last error says why. */
  onFailure?(accountId: string, error: unknown): void;
}

export interface QuotaMonitor {
  start(): void;
  /** Reads every account's quota now and restarts the interval (after sleep and wake). */
  sweepNow(): void;
  checkNow(accountId: string): Promise<QuotaSnapshot | undefined>;
  dispose(): void;
}

export function createQuotaMonitor(options: QuotaMonitorOptions): QuotaMonitor {
  const inFlight = new Map<string, Promise<QuotaSnapshot | undefined>>();
  let timer: Timer | undefined;
  let disposed = false;

  function checkNow(accountId: string): Promise<QuotaSnapshot | undefined> {
    const running = inFlight.get(accountId);
    if (running) return running;
    const check = (async () => {
      try {
        const quota = normalizeUsageLimits(await options.fetch(accountId), options.clock.now());
        if (!disposed) options.onQuota(accountId, quota);
        return quota;
      } catch (error) {
        options.logger.warn({ account: accountId, error: (error as Error).message }, 'quota check failed');
        if (!disposed) options.onFailure?.(accountId, error);
        return undefined;
      } finally {
        inFlight.delete(accountId);
      }
    })();
    inFlight.set(accountId, check);
    return check;
  }

  function sweep(): void {
    timer?.cancel();
    if (disposed) return;
    for (const accountId of options.accounts()) void checkNow(accountId);
    timer = options.clock.setTimer(sweep, options.intervalMs);
  }

  return {
    start: sweep,
    sweepNow: sweep,
    checkNow,
    dispose() {
      disposed = true;
      timer?.cancel();
    },
  };
}
