/**
 * The pool and the refresher on real calendar dates: the first days of a month (when the next reset is more
 * than 24.8 days away), month ends, December into January, a leap day, a token that lives 30 days. Each date is
 * set on the fake clock; nothing here depends on today's date.
 */
import { describe, expect, it } from 'vitest';
import { createAccountPool } from '../../electron/core/accounts/accountPool.ts';
import { createRefreshScheduler } from '../../electron/core/accounts/refreshScheduler.ts';
import { normalizeUsageLimits } from '../../electron/core/accounts/usageLimits.ts';
import type { EmulatorAccount } from '../emulator/accountStore.ts';
import { usageLimitsBody } from '../emulator/usageLimits.ts';
import { accountRecord } from '../support/accountRecord.ts';
import { createFakeClock } from '../support/fakeClock.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** [the date, the next quota reset the upstream announces on it (the 1st of next month, 00:00 UTC)] */
const CALENDAR: Array<[string, string]> = [
  ['2027-01-01T00:00:00Z', '2027-02-01T00:00:00Z'], // 31 days away
  ['2027-01-03T09:30:00Z', '2027-02-01T00:00:00Z'], // first week: beyond a Node timer's reach
  ['2027-01-31T23:59:59Z', '2027-02-01T00:00:00Z'], // one second away
  ['2027-02-28T12:00:00Z', '2027-03-01T00:00:00Z'],
  ['2028-02-29T12:00:00Z', '2028-03-01T00:00:00Z'], // leap day
  ['2027-12-31T18:00:00Z', '2028-01-01T00:00:00Z'], // December into January
  ['2027-12-01T00:00:01Z', '2028-01-01T00:00:00Z'],
];

const exhaustedAccount: EmulatorAccount = {
  id: 'acct',
  kind: 'social',
  email: 'user@example.com',
  userId: 'user',
  profileArn: 'arn:aws:codewhisperer:us-east-1:123456789012:profile/TEST',
  refreshToken: 'refresh',
  requestCount: 10,
  credits: 50,
  creditLimit: 50,
};

describe.each(CALENDAR)('on %s', (date, expectedReset) => {
  it('an account out of credits stays parked until the announced reset, then comes back', async () => {
    const clock = createFakeClock(Date.parse(date));
    const quota = normalizeUsageLimits(usageLimitsBody(exhaustedAccount, clock.now()), clock.now());
    expect(quota.resetsAt).toBe(Date.parse(expectedReset));
    const pool = createAccountPool({ clock });
    pool.setAccounts([{ record: accountRecord('parked') }, { record: accountRecord('spare') }]);
    pool.setState('parked', { kind: 'exhausted', until: quota.resetsAt!, reason: '50 of 50 credits used' });

    clock.advance(quota.resetsAt! - clock.now() - 1);
    expect(pool.get('parked')?.state.kind).toBe('exhausted');
    const lease = await pool.acquire();
    expect(lease.accountId).toBe('spare');
    lease.release();

    clock.advance(1);
    expect(pool.get('parked')?.state).toEqual({ kind: 'active' });
    expect(clock.overflowedTimers).toBe(0);
  });

  it('a token that lives 30 days is refreshed once, shortly before it expires', () => {
    const clock = createFakeClock(Date.parse(date));
    const refreshedAt: number[] = [];
    const scheduler = createRefreshScheduler({
      clock,
      refresh: () => {
        refreshedAt.push(clock.now());
        return new Promise(() => undefined);
      },
      isPermanentFailure: () => false,
      random: () => 0.5,
    });
    const expiresAt = clock.now() + 30 * DAY_MS;
    scheduler.track('long-lived', expiresAt);
    clock.advance(MINUTE_MS);
    expect(refreshedAt).toEqual([]);
    clock.advance(29 * DAY_MS);
    expect(refreshedAt).toEqual([]);
    clock.advance(expiresAt - clock.now());
    expect(refreshedAt).toHaveLength(1);
    // Five minutes of lead and half of the one-minute jitter, whatever the month.
    expect(expiresAt - refreshedAt[0]!).toBe(5.5 * MINUTE_MS);
    expect(clock.overflowedTimers).toBe(0);
    scheduler.dispose();
  });
});
