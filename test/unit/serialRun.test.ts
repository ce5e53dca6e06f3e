import { describe, expect, it } from 'vitest';
import { serialRun } from '../../electron/core/accounts/serialRun.ts';

describe('serialRun', () => {
  it('runs once more after a run that was asked for again while running, never overlapping', async () => {
    const reads: number[] = [];
    let value = 0;
    let active = 0;
    let maxActive = 0;
    const run = serialRun(async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      const seen = value;
      await new Promise((resolve) => setTimeout(resolve, 10));
      reads.push(seen);
      active -= 1;
    });
    const first = run();
    value = 1; // changed after the running sync read it
    const second = run();
    const third = run();
    expect(third).toBe(second);
    await Promise.all([first, second, third]);
    expect(reads).toEqual([0, 1]);
    expect(maxActive).toBe(1);
  });

  it('runs again after a failed run', async () => {
    let calls = 0;
    const run = serialRun(async () => {
      calls += 1;
      if (calls === 1) throw new Error('first fails');
    });
    const first = run();
    const second = run();
    await expect(first).rejects.toThrow('first fails');
    await second;
    expect(calls).toBe(2);
  });
});
