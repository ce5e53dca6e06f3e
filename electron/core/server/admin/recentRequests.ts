/**
 * The last finished API requests, newest first, for the dashboard's live log: a fixed-size ring, so memory stays
 * bounded however long the proxy runs. Listeners hear of each entry as it is added (the admin event stream
 * follows it only while a dashboard is connected).
 */
import type { RequestLogEntry } from '../../../../shared/adminApi.ts';

export interface RecentRequests {
  add(entry: RequestLogEntry): void;
  /** Newest first, at most `limit`. */
  list(limit: number): RequestLogEntry[];
  /** Returns the unsubscribe function. */
  onEntry(listener: (entry: RequestLogEntry) => void): () => void;
}

export function createRecentRequests(capacity: number): RecentRequests {
  const ring: RequestLogEntry[] = [];
  /** Where the next entry goes once the ring is full. */
  let next = 0;
  const listeners = new Set<(entry: RequestLogEntry) => void>();

  return {
    add(entry) {
      if (ring.length < capacity) ring.push(entry);
      else ring[next] = entry;
      next = (next + 1) % capacity;
      for (const listener of [...listeners]) listener(entry);
    },
    list(limit) {
      const count = Math.min(limit, ring.length);
      const newestFirst: RequestLogEntry[] = [];
      for (let i = 1; i <= count; i++) newestFirst.push(ring[(next - i + capacity) % capacity]!);
      return newestFirst;
    },
    onEntry(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
