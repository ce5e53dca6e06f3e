import { describe, expect, it } from 'vitest';
import { createLruByteCache } from '../../electron/core/cache/lruByteCache.ts';

function cacheWith(limits: { maxEntries?: number; maxBytes?: number; ttlMs?: number } = {}) {
  const clock = { now: 1_000 };
  const cache = createLruByteCache<string>({
    maxEntries: limits.maxEntries ?? 100,
    maxBytes: limits.maxBytes ?? 1_000,
    ttlMs: limits.ttlMs ?? 60_000,
    now: () => clock.now,
  });
  return { cache, clock };
}

describe('createLruByteCache', () => {
  it('evicts the least recently used entry when the entry cap is reached', () => {
    const { cache } = cacheWith({ maxEntries: 2 });
    cache.set('a', 'A', 1);
    cache.set('b', 'B', 1);
    expect(cache.get('a')).toBe('A'); // a is now more recent than b
    cache.set('c', 'C', 1);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.stats()).toMatchObject({ entries: 2, evictions: 1 });
  });

  it('evicts as many old entries as the byte cap needs and tracks the bytes held', () => {
    const { cache } = cacheWith({ maxBytes: 100 });
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    cache.set('c', 'C', 90);
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: 90, evictions: 2 });
    expect(cache.get('c')).toBe('C');
  });

  it('refuses a value larger than the whole byte cap without evicting anything', () => {
    const { cache } = cacheWith({ maxBytes: 100 });
    cache.set('a', 'A', 50);
    expect(cache.set('huge', 'H', 101)).toBe(false);
    expect(cache.get('a')).toBe('A');
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: 50, evictions: 0 });
  });

  it('replacing a key releases the bytes of the old value', () => {
    const { cache } = cacheWith();
    cache.set('a', 'A', 300);
    cache.set('a', 'A2', 200);
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: 200 });
    expect(cache.get('a')).toBe('A2');
  });

  it('expires entries after their time to live, by the injected clock', () => {
    const { cache, clock } = cacheWith({ ttlMs: 10_000 });
    cache.set('a', 'A', 10);
    cache.set('short', 'S', 10, 1_000);
    clock.now += 999;
    expect(cache.get('short')).toBe('S');
    clock.now += 1;
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    clock.now += 9_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0, evictions: 0, hits: 2, misses: 2 });
  });

  it('shrinking the caps evicts at once', () => {
    const { cache } = cacheWith();
    for (const key of ['a', 'b', 'c']) cache.set(key, key, 100);
    cache.setLimits({ maxBytes: 150 });
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: 100, evictions: 2 });
    expect(cache.get('c')).toBe('c');
  });
});
