/**
 * Where the response cache keeps its answers: this process's memory, or Redis for replicas that share the cache
 * (redis/redisAnswerStore.ts). An answer is one JSON string: its byte size is what it costs to keep.
 */
import { createLruByteCache, type CacheStats } from './lruByteCache.ts';

export interface StoredAnswer {
  json: string;
  bytes: number;
}

export interface AnswerLimits {
  maxEntries: number;
  maxBytes: number;
  ttlMs: number;
}

export interface AnswerStore {
  /** The answer, or undefined when there is none (or the store cannot be reached: a miss, never a failure). */
  get(key: string): Promise<StoredAnswer | undefined>;
  /** Keeps the answer unless it alone is over the byte cap; resolves to the entries and bytes held afterwards. */
  set(key: string, answer: StoredAnswer): Promise<{ entries: number; bytes: number } | undefined>;
  /** New caps; entries beyond them go. */
  setLimits(limits: Partial<AnswerLimits>): void;
  clear(): void;
  /** Lookups made here; entries and bytes as last known. */
  stats(): Omit<CacheStats, 'coalesced'>;
}

export function createMemoryAnswerStore(options: AnswerLimits & { now: () => number }): AnswerStore {
  const answers = createLruByteCache<StoredAnswer>(options);
  const held = () => {
    const { entries, bytes } = answers.stats();
    return { entries, bytes };
  };
  return {
    get: (key) => Promise.resolve(answers.get(key)),
    set: (key, answer) => Promise.resolve(answers.set(key, answer, answer.bytes) ? held() : undefined),
    setLimits: (limits) => answers.setLimits(limits),
    clear: () => answers.clear(),
    stats: () => answers.stats(),
  };
}
