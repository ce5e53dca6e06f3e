/**
 * The refresh lock of a process alone (RefreshLock in ports.ts): one refresh per account at a time here. The
 * refresh scheduler already runs one refresh per account; this also keeps the journal replay at start out of
 * its way, so a single process goes through the same steps as replicas do with their shared lock.
 */
import type { RefreshLock } from '../ports.ts';

export function createInProcessRefreshLock(): RefreshLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    withLock(accountId, task) {
      const previous = tails.get(accountId) ?? Promise.resolve();
      const run = previous.catch(() => undefined).then(task);
      const tail = run.catch(() => undefined);
      tails.set(accountId, tail);
      // The last one out leaves no entry behind, so the map does not grow with removed accounts.
      void tail.then(() => {
        if (tails.get(accountId) === tail) tails.delete(accountId);
      });
      return run;
    },
  };
}
