import { describe, expect, it } from 'vitest';
import { createThrottlePacer } from '../../electron/core/accounts/throttlePacer.ts';
import { UpstreamError } from '../../electron/core/kiro/upstreamError.ts';
import { createFakeClock } from '../support/fakeClock.ts';

const never = new AbortController().signal;

function settled(promise: Promise<void>): { done: () => boolean; error: () => unknown } {
  let done = false;
  let error: unknown;
  promise.then(
    () => (done = true),
    (caught: unknown) => ((done = true), (error = caught)),
  );
  return { done: () => done, error: () => error };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('throttle pacer', () => {
  it('lets calls through at once while the account was never throttled', async () => {
    const pacer = createThrottlePacer({ clock: createFakeClock() });
    await expect(pacer.admit('a', never)).resolves.toBeUndefined();
  });

  it('holds every request to a throttled account until its Retry-After has passed, and spaces them', async () => {
    const clock = createFakeClock();
    const pacer = createThrottlePacer({ clock });
    expect(pacer.throttled('a', 2_000)).toBe(2_000);
    const first = settled(pacer.admit('a', never));
    const second = settled(pacer.admit('a', never));
    const other = settled(pacer.admit('b', never));
    await flush();
    expect(other.done()).toBe(true);
    clock.advance(1_999);
    await flush();
    expect(first.done()).toBe(false);
    clock.advance(1);
    await flush();
    expect(first.done()).toBe(true);
    expect(second.done()).toBe(false);
    clock.advance(2_000);
    await flush();
    expect(second.done()).toBe(true);
  });

  it('doubles the pause with each throttle in a row and refuses waits beyond 10 s with the wait as Retry-After', async () => {
    const clock = createFakeClock();
    const pacer = createThrottlePacer({ clock });
    const pauses = [1, 2, 3, 4, 5].map(() => pacer.throttled('a', undefined));
    expect(pauses).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    const refused = await pacer.admit('a', never).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UpstreamError);
    expect(refused).toMatchObject({ kind: 'rate_limited', retryAfterMs: 16_000 });
  });

  it('is back to normal after a success', async () => {
    const clock = createFakeClock();
    const pacer = createThrottlePacer({ clock });
    pacer.throttled('a', 30_000);
    pacer.succeeded('a');
    await expect(pacer.admit('a', never)).resolves.toBeUndefined();
    expect(pacer.throttled('a', undefined)).toBe(1_000);
  });
});
