import { describe, expect, it } from 'vitest';
import { createFailurePenalty } from '../../electron/core/server/admin/failurePenalty.ts';
import { SIGN_IN_PENALTY } from '../../electron/core/server/admin/sessionRoute.ts';
import { createFakeClock } from '../support/fakeClock.ts';

describe('failure penalty', () => {
  it('is free for the first failures, then doubles up to its ceiling', () => {
    const penalty = createFailurePenalty({ clock: createFakeClock(), ...SIGN_IN_PENALTY });
    const delays = Array.from({ length: 12 }, () => penalty.recordFailure());
    expect(delays).toEqual([0, 0, 0, 250, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000]);
  });

  it('forgets failures older than its window, on the monotonic clock', () => {
    const clock = createFakeClock();
    const penalty = createFailurePenalty({ clock, ...SIGN_IN_PENALTY });
    for (let i = 0; i < 5; i++) penalty.recordFailure();
    clock.jump(-3_600_000); // a wall clock set back an hour changes nothing
    expect(penalty.recordFailure()).toBe(1_000);
    clock.advance(60_000);
    expect(penalty.recordFailure()).toBe(0);
  });

  it('keeps a bounded memory however many failures arrive', () => {
    const clock = createFakeClock();
    const penalty = createFailurePenalty({
      clock,
      freeFailures: 1,
      baseDelayMs: 1,
      maxDelayMs: 4,
      windowMs: 1_000,
    });
    let last = 0;
    for (let i = 0; i < 100_000; i++) last = penalty.recordFailure();
    expect(last).toBe(4);
    clock.advance(1_000);
    expect(penalty.recordFailure()).toBe(0);
  });
});
