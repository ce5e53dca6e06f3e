/**
 * Complete answers to identical requests, kept for a short while (the key is the request fingerprint), and the
 * coalescing of identical requests in flight. Only whole successful turns are kept: a turn that failed, was cut
 * or overflowed the context is never replayed. Tool calls are kept: they are the answer to identical input.
 */
import type { TurnSink } from '../server/runTurn.ts';
import type { TurnEvent } from '../translate/turnEvents.ts';
import { createLruByteCache, type CacheStats } from './lruByteCache.ts';
import { createTurnCoalescer, type SharedTurn } from './turnCoalescer.ts';

export interface ResponseCacheSettings {
  enabled: boolean;
  ttlSeconds: number;
  maxBytes: number;
}

export const DEFAULT_RESPONSE_CACHE_SETTINGS: ResponseCacheSettings = {
  enabled: true,
  ttlSeconds: 120,
  maxBytes: 32 * 1024 * 1024,
};

/** How a request was answered: `bypass` when the cache is off. */
export type CacheResult = 'hit' | 'miss' | 'coalesced' | 'bypass';

export interface ResponseCache {
  /**
   * Answers from the cache, from an identical call in flight, or by running `run`; `onResult` is told which
   * before any output reaches `sink`.
   */
  serve(
    key: string,
    sink: TurnSink,
    signal: AbortSignal,
    run: SharedTurn,
    onResult: (result: CacheResult) => void,
  ): Promise<void>;
  configure(settings: Partial<ResponseCacheSettings>): void;
  settings(): ResponseCacheSettings;
  stats(): CacheStats;
  /** Told of every request served (with the answer's size on a hit), for metrics. */
  onResult?: (result: CacheResult, bytes?: number) => void;
  /** Told when an answer was stored (entries and bytes held after evictions), for metrics. */
  onSizeChange?: (entries: number, bytes: number) => void;
}

const MAX_ENTRIES = 10_000;
const REPLAYABLE_STOPS: ReadonlySet<string> = new Set(['end_turn', 'max_tokens', 'tool_use']);

export function createResponseCache(options: {
  settings?: Partial<ResponseCacheSettings>;
  now: () => number;
}): ResponseCache {
  let current = { ...DEFAULT_RESPONSE_CACHE_SETTINGS, ...options.settings };
  // Answers are held as one JSON string each: its byte size is what it really costs in memory (thousands of
  // small event objects would cost several times their JSON size, beyond what maxBytes says).
  const answers = createLruByteCache<{ json: string; bytes: number }>({
    maxEntries: MAX_ENTRIES,
    maxBytes: current.maxBytes,
    ttlMs: current.ttlSeconds * 1000,
    now: options.now,
  });
  const coalescer = createTurnCoalescer();

  const cache: ResponseCache = {
    async serve(key, sink, signal, run, onResult) {
      if (!current.enabled) {
        report('bypass', onResult);
        return run(sink, signal);
      }
      const cached = answers.get(key);
      if (cached !== undefined) {
        report('hit', onResult, cached.bytes);
        await sink.onOutput(JSON.parse(cached.json) as TurnEvent[]);
        return;
      }
      const store = (events: TurnEvent[]) => {
        if (!isReplayable(events)) return;
        const json = JSON.stringify(compactTurn(events));
        const bytes = Buffer.byteLength(json);
        if (!answers.set(key, { json, bytes }, bytes)) return;
        const { entries, bytes: held } = answers.stats();
        cache.onSizeChange?.(entries, held);
      };
      const joined = coalescer.join(key, sink, signal, run, store);
      report(joined.coalesced ? 'coalesced' : 'miss', onResult);
      await joined.done;
    },
    configure(settings) {
      current = { ...current, ...settings };
      answers.setLimits({ maxBytes: current.maxBytes, ttlMs: current.ttlSeconds * 1000 });
      if (!current.enabled) answers.clear();
    },
    settings: () => ({ ...current }),
    stats() {
      const coalesced = coalescer.coalescedCount();
      const stored = answers.stats();
      // A coalesced request missed the stored answers too; it is counted once, as coalesced.
      return { ...stored, misses: stored.misses - coalesced, coalesced };
    },
  };

  function report(result: CacheResult, onResult: (result: CacheResult) => void, bytes?: number): void {
    onResult(result);
    cache.onResult?.(result, bytes);
  }
  return cache;
}

/** A whole turn that ended normally: never one that failed, was cut, or overflowed the context. */
export function isReplayable(events: readonly TurnEvent[]): boolean {
  const last = events.at(-1);
  return last?.type === 'end' && REPLAYABLE_STOPS.has(last.stopReason);
}

/**
 * The same answer in fewer events: adjacent text, thinking and tool-input deltas are joined. A replayed answer
 * arrives at once, so its chunking carries no information, and fewer events cost less to keep and to replay.
 */
export function compactTurn(events: readonly TurnEvent[]): TurnEvent[] {
  const compact: TurnEvent[] = [];
  for (const event of events) {
    const last = compact.at(-1);
    if (last?.type === 'text_delta' && event.type === 'text_delta') {
      compact[compact.length - 1] = { type: 'text_delta', text: last.text + event.text };
    } else if (last?.type === 'thinking_delta' && event.type === 'thinking_delta') {
      compact[compact.length - 1] = { type: 'thinking_delta', text: last.text + event.text };
    } else if (
      last?.type === 'tool_input_delta' &&
      event.type === 'tool_input_delta' &&
      last.id === event.id
    ) {
      compact[compact.length - 1] = { ...last, partialJson: last.partialJson + event.partialJson };
    } else {
      compact.push(event);
    }
  }
  return compact;
}
