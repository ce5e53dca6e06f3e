/**
 * A least-recently-used map bounded by entry count and by total bytes, with a per-entry time to live. Hand-written
 * (a Map keeps insertion order, so re-inserting on read is the whole LRU) to take the core's injected clock, so
 * expiry is tested without waiting.
 */

export interface CacheStats {
  hits: number;
  misses: number;
  /** Requests that shared another request's upstream call instead of making their own. */
  coalesced: number;
  entries: number;
  bytes: number;
  /** Entries dropped to stay under the caps (expired entries are not counted). */
  evictions: number;
}

export interface LruByteCacheOptions {
  maxEntries: number;
  maxBytes: number;
  /** Default time to live of an entry; `set` may give another. */
  ttlMs: number;
  now: () => number;
}

interface Entry<V> {
  value: V;
  bytes: number;
  expiresAt: number;
}

export interface LruByteCache<V> {
  get(key: string): V | undefined;
  /** Stores the value unless it alone is larger than the byte cap; returns whether it was stored. */
  set(key: string, value: V, bytes: number, ttlMs?: number): boolean;
  delete(key: string): void;
  clear(): void;
  /** Changes the caps; entries beyond the new ones are evicted at once. */
  setLimits(limits: Partial<Pick<LruByteCacheOptions, 'maxEntries' | 'maxBytes' | 'ttlMs'>>): void;
  stats(): CacheStats;
}

export function createLruByteCache<V>(options: LruByteCacheOptions): LruByteCache<V> {
  const limits = { maxEntries: options.maxEntries, maxBytes: options.maxBytes, ttlMs: options.ttlMs };
  const entries = new Map<string, Entry<V>>();
  const counters = { hits: 0, misses: 0, bytes: 0, evictions: 0 };

  function remove(key: string, entry: Entry<V>): void {
    entries.delete(key);
    counters.bytes -= entry.bytes;
  }

  function evictOverflow(): void {
    for (const [key, entry] of entries) {
      if (entries.size <= limits.maxEntries && counters.bytes <= limits.maxBytes) return;
      remove(key, entry);
      counters.evictions += 1;
    }
  }

  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined || entry.expiresAt <= options.now()) {
        if (entry !== undefined) remove(key, entry);
        counters.misses += 1;
        return undefined;
      }
      entries.delete(key);
      entries.set(key, entry);
      counters.hits += 1;
      return entry.value;
    },
    set(key, value, bytes, ttlMs = limits.ttlMs) {
      const previous = entries.get(key);
      if (previous !== undefined) remove(key, previous);
      if (bytes > limits.maxBytes || limits.maxEntries < 1) return false;
      entries.set(key, { value, bytes, expiresAt: options.now() + ttlMs });
      counters.bytes += bytes;
      evictOverflow();
      return true;
    },
    delete(key) {
      const entry = entries.get(key);
      if (entry !== undefined) remove(key, entry);
    },
    clear() {
      entries.clear();
      counters.bytes = 0;
    },
    setLimits(next) {
      Object.assign(limits, next);
      evictOverflow();
    },
    stats: () => ({ ...counters, coalesced: 0, entries: entries.size }),
  };
}
