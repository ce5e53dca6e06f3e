/**
 * Complete answers to identical requests, kept for a short while, and the coalescing of identical requests in
 * flight. Off by default: a replayed answer is right only when the asker and the question are truly the same.
 * So an answer stays within its session and client key (CacheScope), requests with tools or sampled above
 * temperature 0 are left to Kiro unless the user opted in (cacheEligibility.ts), answers calling tools are kept
 * only then, and every tool call handed out a second time gets a fresh id (freshToolIds.ts). Only whole
 * successful turns are kept: a turn that failed, was cut or overflowed the context is never replayed.
 */
import type { TurnSink } from '../server/turn/turnSink.ts';
import type { AnthropicRequest } from '../translate/anthropicRequest.ts';
import type { TurnEvent } from '../translate/turnEvents.ts';
import { cacheBypassReason, hasToolCall } from './cacheEligibility.ts';
import { createToolIdRenewer, withFreshToolIds } from './freshToolIds.ts';
import { createMemoryAnswerStore, type AnswerLimits, type AnswerStore } from './answerStore.ts';
import type { CacheStats } from './lruByteCache.ts';
import { fingerprintRequest, type CacheScope } from './requestFingerprint.ts';
import { createTurnCoalescer, type SharedTurn } from './turnCoalescer.ts';

export interface ResponseCacheSettings {
  enabled: boolean;
  ttlSeconds: number;
  maxBytes: number;
  /** Also cache requests that declare tools or are sampled above temperature 0 (absent temperature: 1). */
  includeToolsAndSampling: boolean;
}

export const DEFAULT_RESPONSE_CACHE_SETTINGS: ResponseCacheSettings = {
  enabled: false,
  ttlSeconds: 120,
  maxBytes: 32 * 1024 * 1024,
  includeToolsAndSampling: false,
};

/** How a request was answered: `bypass` when the cache is off or must not answer this request. */
export type CacheResult = 'hit' | 'miss' | 'coalesced' | 'bypass';

/** One request as the cache sees it. */
export interface CacheRequest {
  /** The request as Anthropic's API reads it (an OpenAI request translated). */
  request: AnthropicRequest;
  /** The resolved Kiro model. */
  modelId: string;
  scope: CacheScope;
  /** A tool call id in the client's dialect (`toolu_…`, `call_…`), for answers handed out a second time. */
  newToolId(): string;
}

export interface ResponseCache {
  /**
   * Answers from the cache, from an identical call in flight, or by running `run`; `onResult` is told which
   * before any output reaches `sink`.
   */
  serve(
    request: CacheRequest,
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
  /** Where answers are kept (replicas share one in Redis); default: this process's memory. */
  store?: (limits: AnswerLimits) => AnswerStore;
}): ResponseCache {
  let current = { ...DEFAULT_RESPONSE_CACHE_SETTINGS, ...options.settings };
  // Answers are held as one JSON string each: its byte size is what it really costs in memory (thousands of
  // small event objects would cost several times their JSON size, beyond what maxBytes says).
  const limits = { maxEntries: MAX_ENTRIES, maxBytes: current.maxBytes, ttlMs: current.ttlSeconds * 1000 };
  const answers = options.store?.(limits) ?? createMemoryAnswerStore({ ...limits, now: options.now });
  const coalescer = createTurnCoalescer();

  const cache: ResponseCache = {
    async serve(request, sink, signal, run, onResult) {
      const bypassReason = cacheBypassReason(request.request, current.includeToolsAndSampling);
      if (!current.enabled || bypassReason !== undefined) {
        report('bypass', onResult);
        return run(sink, signal);
      }
      const key = fingerprintRequest(request.request, request.modelId, request.scope);
      const cached = await answers.get(key);
      if (cached !== undefined) {
        report('hit', onResult, cached.bytes);
        const replay = createToolIdRenewer(request.newToolId);
        await sink.onOutput(replay(JSON.parse(cached.json) as TurnEvent[]));
        return;
      }
      // The request that starts the call gets Kiro's tool ids; each one joining it gets ids of its own.
      const subscriber = coalescer.isInFlight(key) ? withFreshToolIds(sink, request.newToolId) : sink;
      const joined = coalescer.join(key, subscriber, signal, run, (events) => store(key, events));
      report(joined.coalesced ? 'coalesced' : 'miss', onResult);
      await joined.done;
    },
    configure(settings) {
      const previous = current;
      current = { ...current, ...settings };
      answers.setLimits({ maxBytes: current.maxBytes, ttlMs: current.ttlSeconds * 1000 });
      // Answers kept under the opt-in (tool calls among them) must not outlive it. Only a change clears: a
      // replica starting with the cache off leaves the answers the others share alone.
      const turnedOff = previous.enabled && !current.enabled;
      const optedOut = previous.includeToolsAndSampling && !current.includeToolsAndSampling;
      if (turnedOff || optedOut) answers.clear();
    },
    settings: () => ({ ...current }),
    stats() {
      const coalesced = coalescer.coalescedCount();
      const stored = answers.stats();
      // A coalesced request missed the stored answers too; it is counted once, as coalesced.
      return { ...stored, misses: stored.misses - coalesced, coalesced };
    },
  };

  function store(key: string, events: TurnEvent[]): void {
    if (!isReplayable(events)) return;
    if (!current.includeToolsAndSampling && hasToolCall(events)) return;
    const json = JSON.stringify(compactTurn(events));
    void answers.set(key, { json, bytes: Buffer.byteLength(json) }).then((held) => {
      if (held) cache.onSizeChange?.(held.entries, held.bytes);
    });
  }

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
