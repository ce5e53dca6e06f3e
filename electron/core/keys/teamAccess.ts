/**
 * The team side of the core, assembled in one place: the client keys, what each spent, its rate, and the
 * usage ledger every finished request goes to (when the host opened one).
 */
import type { Clock, Logger, SettingsStore } from '../ports.ts';
import type { UsageLedger, UsageRow } from '../usage/usageLedger.ts';
import { keepUsageRetention } from '../usage/usageRetention.ts';
import { createClientKeyRegistry, type ClientKeyRegistry } from './clientKeyRegistry.ts';
import { settingsClientKeyStore, type ClientKeyStore } from './clientKeyStore.ts';
import type { KeyPolicyDeps } from './keyPolicy.ts';
import { createKeySpending, type KeySpending } from './keySpending.ts';
import { createRequestRateLimiter, type RequestRateLimiter } from './requestRateLimiter.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export interface TeamAccess {
  keys: ClientKeyRegistry;
  spending: KeySpending;
  policy: KeyPolicyDeps;
  ledger?: UsageLedger;
  /** Every finished request: its row into the ledger, its credits onto its key. */
  onUsage(row: UsageRow): void;
  dispose(): void;
}

export function createTeamAccess(options: {
  settings: SettingsStore;
  clock: Clock;
  logger: Logger;
  ledger?: UsageLedger;
  /** Replicas share keys, spending and rates (Redis); absent: this process's settings file and memory. */
  shared?: { keyStore: ClientKeyStore; spending: KeySpending; rateLimiter?: RequestRateLimiter };
}): TeamAccess {
  const { settings, clock, logger, ledger, shared } = options;
  const keys = createClientKeyRegistry({
    store: shared?.keyStore ?? settingsClientKeyStore(settings),
    clock,
  });
  const spending =
    shared?.spending ?? createKeySpending(ledger && ((keyId, since) => ledger.creditsSince(keyId, since)));
  const stopRetention = ledger ? keepUsageRetention({ ledger, settings, clock, logger }) : () => {};
  let ledgerFailing = false;
  return {
    keys,
    spending,
    policy: { spending, rateLimiter: shared?.rateLimiter ?? createRequestRateLimiter(clock), clock },
    ledger,
    onUsage(row) {
      spending.add(row.keyId, row.credits, row.at);
      if (!ledger) return;
      try {
        ledger.record(row);
        ledgerFailing = false;
      } catch (error) {
        // A full disk must not fail requests; it is said once until the ledger works again.
        if (!ledgerFailing)
          logger.error({ error: errorMessage(error) }, 'usage ledger: a row could not be written');
        ledgerFailing = true;
      }
    },
    dispose() {
      stopRetention();
      keys.dispose();
    },
  };
}
