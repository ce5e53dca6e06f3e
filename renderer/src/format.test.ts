import { describe, expect, it } from 'vitest';
import { formatAgo, formatMoment, formatRelative, nearness } from './format.ts';

const NOW = Date.UTC(2026, 10, 28, 9, 30, 0);

describe('moments as the dashboard words them', () => {
  it('never says a past event lies ahead when the clocks differ by a few seconds', () => {
    expect(formatRelative(NOW + 3_000, NOW, 'en')).toBe('in 3 seconds');
    expect(formatAgo(NOW + 3_000, NOW, 'en')).toBe('now');
    expect(formatAgo(NOW - 5 * 60_000, NOW, 'en')).toBe('5 minutes ago');
    expect(formatAgo(NOW - 5 * 60_000, NOW, 'zh')).toBe('5分钟前');
  });

  it('shows a moment within a day by its time, a further one with its date', () => {
    expect(nearness(NOW + 11_000, NOW)).toBe('hour');
    expect(nearness(NOW + 3 * 3_600_000, NOW)).toBe('day');
    expect(nearness(NOW + 3 * 86_400_000, NOW)).toBe('far');
    const soon = formatMoment(NOW + 3 * 3_600_000, NOW, 'en');
    expect(soon).not.toMatch(/2026|Nov/);
    expect(soon).toMatch(/\d{1,2}:30/);
    expect(formatMoment(NOW + 3 * 86_400_000, NOW, 'en')).toMatch(/Dec 1, 2026/);
  });
});
