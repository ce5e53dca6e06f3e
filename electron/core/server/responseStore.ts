/**
 * The conversations behind Responses ids, for `previous_response_id`: each stored response keeps every input
 * item it was answered from plus its own output, so a follow-up sends only what is new. Memory only and bounded
 * twice, by count and by bytes (of the items' JSON), least recently used first out; a follow-up to an evicted
 * (or never stored) response is the client's 400, never a guess.
 */
import { createLruByteCache } from '../cache/lruByteCache.ts';
import type { ResponsesInputItem } from '../translate/responsesRequest.ts';

export interface ResponseStoreOptions {
  maxEntries: number;
  maxBytes: number;
  now: () => number;
  /** How long a response is kept at most; the caps usually evict it first. */
  ttlMs: number;
}

export const RESPONSE_STORE_LIMITS = {
  maxEntries: 500,
  maxBytes: 64 * 1024 * 1024,
  ttlMs: 24 * 60 * 60 * 1000,
} as const;

export interface ResponseStore {
  /** Stores a response's conversation; one larger than the byte cap alone is not kept. */
  put(responseId: string, items: readonly ResponsesInputItem[]): void;
  /** The conversation, marked as recently used; undefined when unknown or evicted. */
  get(responseId: string): ResponsesInputItem[] | undefined;
  stats(): { entries: number; bytes: number; evictions: number };
}

export function createResponseStore(options: ResponseStoreOptions): ResponseStore {
  // Kept as JSON: a snapshot no later change by the caller can touch, and its length is what it costs.
  const cache = createLruByteCache<string>(options);
  return {
    put(responseId, items) {
      const json = JSON.stringify(items);
      cache.set(responseId, json, Buffer.byteLength(json, 'utf8'));
    },
    get(responseId) {
      const json = cache.get(responseId);
      return json === undefined ? undefined : (JSON.parse(json) as ResponsesInputItem[]);
    },
    stats() {
      const { entries, bytes, evictions } = cache.stats();
      return { entries, bytes, evictions };
    },
  };
}
