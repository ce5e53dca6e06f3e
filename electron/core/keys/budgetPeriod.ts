/**
 * Budget periods in UTC, so every replica and every time zone agrees on when a budget resets: a day starts at
 * 00:00 UTC, a month on its first day at 00:00 UTC.
 */
import type { BudgetPeriod } from './clientKeyRecord.ts';

export interface PeriodWindow {
  start: number;
  /** When the budget resets: the start of the next period. */
  resetsAt: number;
}

export function periodWindow(period: BudgetPeriod, now: number): PeriodWindow {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (period === 'day') {
    const start = Date.UTC(year, month, date.getUTCDate());
    return { start, resetsAt: Date.UTC(year, month, date.getUTCDate() + 1) };
  }
  return { start: Date.UTC(year, month, 1), resetsAt: Date.UTC(year, month + 1, 1) };
}
