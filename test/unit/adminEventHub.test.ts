import { describe, expect, it } from 'vitest';
import { STATS_EVENT_INTERVAL_MS, type AdminEvent, type StatsResponse } from '../../shared/adminApi.ts';
import { createAccountPool } from '../../electron/core/accounts/accountPool.ts';
import { silentLogger } from '../../electron/core/logging/createLogger.ts';
import { createAdminEventHub } from '../../electron/core/server/admin/adminEventHub.ts';
import { createFakeClock } from '../support/fakeClock.ts';

describe('admin event hub: stats', () => {
  it('pushes the stats at a fixed cadence while someone listens, and stops after', () => {
    const clock = createFakeClock();
    const pool = createAccountPool({ clock });
    let reports = 0;
    const hub = createAdminEventHub({
      pool,
      clock,
      logger: silentLogger(),
      viewOf: async () => undefined,
      statsReport: () => ({ reportNumber: ++reports }) as unknown as StatsResponse,
    });
    const received: AdminEvent[] = [];
    const unsubscribe = hub.subscribe((event) => received.push(event));
    clock.advance(STATS_EVENT_INTERVAL_MS * 3);
    expect(received.filter((event) => event.type === 'stats')).toHaveLength(3);
    expect(reports).toBe(3);

    unsubscribe();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(STATS_EVENT_INTERVAL_MS * 3);
    expect(reports).toBe(3);
    pool.dispose();
  });
});
