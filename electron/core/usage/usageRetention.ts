/**
 * Keeps the ledger to the retention the user chose (`usageRetentionDays`, default 90): rows older than that are
 * deleted at start and then every six hours.
 */
import type { Clock, Logger, SettingsStore } from '../ports.ts';
import type { UsageLedger } from './usageLedger.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export const USAGE_RETENTION_SETTING = 'usageRetentionDays';
export const DEFAULT_USAGE_RETENTION_DAYS = 90;
const PRUNE_EVERY_MS = 6 * 3_600_000;
const DAY_MS = 86_400_000;

export function usageRetentionDays(settings: SettingsStore): number {
  const stored = settings.get<unknown>(USAGE_RETENTION_SETTING);
  return typeof stored === 'number' && Number.isInteger(stored) && stored >= 1 && stored <= 3650
    ? stored
    : DEFAULT_USAGE_RETENTION_DAYS;
}

/** Starts pruning; returns the stop. */
export function keepUsageRetention(options: {
  ledger: UsageLedger;
  settings: SettingsStore;
  clock: Clock;
  logger: Logger;
}): () => void {
  const { ledger, settings, clock, logger } = options;
  let timer = clock.setTimer(prune, 0);
  function prune() {
    const days = usageRetentionDays(settings);
    try {
      const deleted = ledger.prune(clock.now() - days * DAY_MS);
      if (deleted > 0) logger.info({ deleted, retentionDays: days }, 'usage ledger: old rows deleted');
    } catch (error) {
      logger.warn({ error: errorMessage(error) }, 'usage ledger: pruning failed; will try again');
    }
    timer = clock.setTimer(prune, PRUNE_EVERY_MS);
  }
  return () => timer.cancel();
}
