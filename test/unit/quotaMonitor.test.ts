/**
 * When quotas are read: every account at start and after a wake; on the interval, only those whose quota no
 * other replica read lately, so a cluster reads each quota about once per interval.
 */
import { describe, expect, it } from 'vitest';
import { createQuotaMonitor } from '../../electron/core/accounts/quotaMonitor.ts';
import { silentLogger } from '../../electron/core/logging/createLogger.ts';
import { createFakeClock } from '../support/fakeClock.ts';

const INTERVAL_MS = 300_000;
const USAGE_LIMITS = {
  usageBreakdownList: [{ resourceType: 'CREDIT', currentUsage: 10, usageLimit: 50 }],
};

/** The reads under way have ended (their fetches answer at once). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

function setup(readLately?: (accountId: string) => boolean) {
  const clock = createFakeClock();
  const fetched: string[] = [];
  const monitor = createQuotaMonitor({
    clock,
    logger: silentLogger(),
    intervalMs: INTERVAL_MS,
    accounts: () => ['acc_a', 'acc_b'],
    fetch: (accountId) => {
      fetched.push(accountId);
      return Promise.resolve(USAGE_LIMITS);
    },
    onQuota: () => {},
    readLately,
  });
  return { clock, fetched, monitor };
}

describe('quota monitor', () => {
  it('reads every account at start and at each interval', async () => {
    const { clock, fetched, monitor } = setup();
    monitor.start();
    await settled();
    clock.advance(INTERVAL_MS);
    await settled();
    expect(fetched).toEqual(['acc_a', 'acc_b', 'acc_a', 'acc_b']);
    monitor.dispose();
  });

  it('leaves out of the interval sweep an account read lately elsewhere, never out of a full one', async () => {
    const { clock, fetched, monitor } = setup((accountId) => accountId === 'acc_b');
    monitor.start();
    await settled();
    expect(fetched).toEqual(['acc_a', 'acc_b']);
    clock.advance(INTERVAL_MS);
    await settled();
    expect(fetched).toEqual(['acc_a', 'acc_b', 'acc_a']);
    // After a wake, everything is read again, whoever read it last.
    monitor.sweepNow();
    await settled();
    expect(fetched).toEqual(['acc_a', 'acc_b', 'acc_a', 'acc_a', 'acc_b']);
    monitor.dispose();
  });
});
