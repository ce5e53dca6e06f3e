/**
 * Which account serves a request. The pool holds each account's runtime state (cooling down, exhausted…),
 * its requests in flight and its quota; it hands out leases by strategy, keeps a conversation on one account
 * while that account can take it (so the upstream sees one user per conversation), and makes requests wait in
 * a bounded queue when every usable account is at its concurrency limit.
 */
import type { Clock, Timer } from '../ports.ts';
import { isLastingState, type AccountRecord, type AccountState, type QuotaSnapshot } from './accountModel.ts';
import { NoAccountAvailableError, PoolSaturatedError } from './accountErrors.ts';
import {
  createSessionAffinity,
  isPoolStrategy,
  rankCandidates,
  type PoolStrategy,
} from './poolStrategies.ts';

export { POOL_STRATEGIES, isPoolStrategy, type PoolStrategy } from './poolStrategies.ts';

export interface PoolAccount {
  record: AccountRecord;
  state: AccountState;
  quota?: QuotaSnapshot;
  inFlight: number;
  expiresAt?: number;
  lastError?: { message: string; at: number };
}

export type PoolEvent =
  | { type: 'state'; accountId: string; from: AccountState; to: AccountState }
  | { type: 'quota'; accountId: string; quota: QuotaSnapshot }
  /** The set of accounts, their order or a record changed. */
  | { type: 'accounts' }
  | { type: 'strategy'; strategy: PoolStrategy };

export interface Lease {
  readonly accountId: string;
  /** Idempotent. */
  release(): void;
}

export interface AccountPoolOptions {
  clock: Clock;
  strategy?: PoolStrategy; // default 'sequential'
  maxConcurrentPerAccount?: number; // default 8
  maxQueue?: number; // requests waiting for capacity, default 64
  queueTimeoutMs?: number; // default 30 s
  stickySessions?: boolean; // default true
}

export interface AcquireOptions {
  sessionKey?: string;
  /**
   * The account another replica last served this conversation with (PoolSignals): kept in preference to the one
   * this replica remembers, since the conversation's latest turn went there.
   */
  sharedAccount?: string;
  /** Accounts already tried for this request. */
  exclude?: ReadonlySet<string>;
  signal?: AbortSignal;
}

export interface AccountPool {
  /**
   * Sync with the repository: new ids start 'active' (or the given persisted state), removed ids go, existing
   * ones keep their runtime state; record.disabled ⇒ 'disabled' (and back when re-enabled). A persisted state
   * that differs from the one seen at the previous sync is news from another process and is applied.
   */
  setAccounts(
    accounts: Array<{ record: AccountRecord; persistedState?: AccountState; expiresAt?: number }>,
  ): void;
  /**
   * An eligible account with capacity, by strategy; a sessionKey keeps its account while that account is
   * eligible and has capacity. Waits in a bounded FIFO queue when every eligible account is at capacity (until a
   * release; timeout → PoolSaturatedError; abort → the signal's reason). No eligible account at all →
   * NoAccountAvailableError at once.
   */
  acquire(options?: AcquireOptions): Promise<Lease>;
  /** Emits 'state' when it changes. Unknown ids are ignored: the account may have been removed meanwhile. */
  setState(accountId: string, state: AccountState): void;
  setQuota(accountId: string, quota: QuotaSnapshot): void;
  setExpiresAt(accountId: string, expiresAt: number | undefined): void;
  recordError(accountId: string, message: string): void;
  get strategy(): PoolStrategy;
  setStrategy(strategy: PoolStrategy): void;
  /** Deep copies, in repository order. */
  snapshot(): PoolAccount[];
  get(accountId: string): PoolAccount | undefined;
  onEvent(listener: (event: PoolEvent) => void): () => void;
  /** Rejects queued requests, cancels timers. */
  dispose(): void;
}

/** Conversations remembered for stickiness. */
const MAX_STICKY_SESSIONS = 10_000;

interface PoolEntry extends PoolAccount {
  /** The persisted state seen at the last sync, to tell news from another process from a repeat. */
  lastPersisted?: AccountState;
  /** Ends a cooldown or quota window on time, so the 'state' event comes when it happens. */
  stateTimer?: Timer;
}

/** A request waiting for capacity; settling it also takes it out of the queue. */
interface Waiter {
  options: AcquireOptions;
  resolve(lease: Lease): void;
  reject(error: unknown): void;
}

const ACTIVE: AccountState = Object.freeze({ kind: 'active' });

export function createAccountPool(options: AccountPoolOptions): AccountPool {
  const { clock } = options;
  const maxConcurrent = options.maxConcurrentPerAccount ?? 8;
  const maxQueue = options.maxQueue ?? 64;
  const queueTimeoutMs = options.queueTimeoutMs ?? 30_000;
  const sticky = options.stickySessions ?? true;
  let strategy = checkedStrategy(options.strategy ?? 'sequential');
  let rotation = 0;
  let entries = new Map<string, PoolEntry>();
  const sessions = createSessionAffinity(MAX_STICKY_SESSIONS);
  const queue: Waiter[] = [];
  const listeners = new Set<(event: PoolEvent) => void>();
  let disposed = false;

  function emit(event: PoolEvent): void {
    for (const listener of [...listeners]) listener(event);
  }

  /** Sets the state and its expiry timer; returns the previous state when it changed. */
  function applyState(entry: PoolEntry, requested: AccountState): AccountState | undefined {
    const next = 'until' in requested && requested.until <= clock.now() ? ACTIVE : requested;
    if (shallowEqual(entry.state, next)) return undefined;
    const previous = entry.state;
    entry.stateTimer?.cancel();
    entry.stateTimer = undefined;
    entry.state = structuredClone(next);
    const timed = entry.state;
    if ('until' in timed && !disposed) {
      // A deadline, not a delay: a reset weeks away stays weeks away, and a wall-clock jump re-checks it.
      entry.stateTimer = clock.setTimerAt(() => {
        if (entry.state !== timed) return;
        changeState(entry, ACTIVE);
        dispatch();
      }, timed.until);
    }
    return previous;
  }

  function changeState(entry: PoolEntry, state: AccountState): void {
    const from = applyState(entry, state);
    if (from) emit({ type: 'state', accountId: entry.record.id, from, to: structuredClone(entry.state) });
  }

  function expireTimedStates(): void {
    const now = clock.now();
    for (const entry of entries.values()) {
      if ('until' in entry.state && entry.state.until <= now) changeState(entry, ACTIVE);
    }
  }

  /** A lease now, the reason nothing can ever serve these options, or undefined: wait for capacity. */
  function tryServe(request: AcquireOptions): Lease | NoAccountAvailableError | undefined {
    expireTimedStates();
    const all = [...entries.values()];
    const usable = (entry: PoolEntry) =>
      entry.state.kind === 'active' && !request.exclude?.has(entry.record.id);
    const eligible = all.filter(usable);
    if (eligible.length === 0)
      return NoAccountAvailableError.fromStates(
        all.map((e) => e.state),
        clock.now(),
      );
    const chosen = choose(eligible, request);
    return chosen && grant(chosen);
  }

  function choose(
    eligible: PoolEntry[],
    { sessionKey, sharedAccount }: AcquireOptions,
  ): PoolEntry | undefined {
    const hasCapacity = (entry: PoolEntry) => entry.inFlight < maxConcurrent;
    const stickyId =
      sticky && sessionKey !== undefined ? (sharedAccount ?? sessions.accountFor(sessionKey)) : undefined;
    const kept = eligible.find((entry) => entry.record.id === stickyId && hasCapacity(entry));
    const chosen = kept ?? rankCandidates(strategy, eligible, rotation).find(hasCapacity);
    if (!chosen) return undefined;
    if (!kept && strategy === 'round-robin') rotation += 1;
    if (sticky && sessionKey !== undefined) sessions.remember(sessionKey, chosen.record.id);
    return chosen;
  }

  function grant(entry: PoolEntry): Lease {
    entry.inFlight += 1;
    let released = false;
    return {
      accountId: entry.record.id,
      release() {
        if (released) return;
        released = true;
        entry.inFlight -= 1;
        dispatch();
      },
    };
  }

  /** Serves waiting requests in arrival order; one that cannot be served yet does not block those behind it. */
  function dispatch(): void {
    for (const waiter of [...queue]) {
      if (!queue.includes(waiter)) continue;
      const outcome = tryServe(waiter.options);
      if (outcome instanceof NoAccountAvailableError) waiter.reject(outcome);
      else if (outcome) waiter.resolve(outcome);
    }
  }

  function enqueue(request: AcquireOptions): Promise<Lease> {
    return new Promise<Lease>((resolve, reject) => {
      const { signal } = request;
      const leave = () => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        timer.cancel();
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        options: request,
        resolve(lease) {
          leave();
          resolve(lease);
        },
        reject(error) {
          leave();
          reject(error);
        },
      };
      const onAbort = () => waiter.reject(signal?.reason);
      const timer = clock.setTimer(
        () => waiter.reject(PoolSaturatedError.timedOut(maxConcurrent, queueTimeoutMs)),
        queueTimeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
    });
  }

  function syncEntry(
    existing: PoolEntry | undefined,
    incoming: { record: AccountRecord; persistedState?: AccountState; expiresAt?: number },
  ): PoolEntry {
    const { record, persistedState, expiresAt } = incoming;
    const entry: PoolEntry = existing ?? { record, state: ACTIVE, inFlight: 0 };
    const persistedNews = !shallowEqual(persistedState, entry.lastPersisted);
    const wasDisabled = entry.state.kind === 'disabled';
    entry.record = structuredClone(record);
    entry.expiresAt = expiresAt;
    entry.lastPersisted = persistedState && structuredClone(persistedState);
    let state = entry.state;
    if (record.disabled) state = { kind: 'disabled' };
    else if (!existing || wasDisabled) state = persistedState ?? ACTIVE;
    else if (persistedState && persistedNews) state = persistedState;
    else if (persistedNews && isLastingState(state)) state = ACTIVE;
    if (existing) changeState(entry, state);
    else applyState(entry, state);
    return entry;
  }

  return {
    setAccounts(accounts) {
      const previous = entries;
      const previousRecords = [...previous.values()].map((entry) => entry.record);
      entries = new Map();
      for (const incoming of accounts) {
        entries.set(incoming.record.id, syncEntry(previous.get(incoming.record.id), incoming));
      }
      for (const [id, entry] of previous) if (!entries.has(id)) entry.stateTimer?.cancel();
      const records = [...entries.values()].map((entry) => entry.record);
      const changed =
        records.length !== previousRecords.length ||
        records.some((record, index) => !shallowEqual(record, previousRecords[index]));
      if (changed) emit({ type: 'accounts' });
      dispatch();
    },
    acquire(request = {}) {
      if (disposed) return Promise.reject(new Error('The account pool has been disposed.'));
      if (request.signal?.aborted) return Promise.reject(request.signal.reason);
      const outcome = tryServe(request);
      if (outcome instanceof NoAccountAvailableError) return Promise.reject(outcome);
      if (outcome) return Promise.resolve(outcome);
      if (queue.length >= maxQueue)
        return Promise.reject(PoolSaturatedError.queueFull(maxConcurrent, maxQueue));
      return enqueue(request);
    },
    setState(accountId, state) {
      const entry = entries.get(accountId);
      // Only the user turns an account off and on again (through its record).
      if (!entry || entry.record.disabled) return;
      changeState(entry, state);
      dispatch();
    },
    setQuota(accountId, quota) {
      const entry = entries.get(accountId);
      if (!entry) return;
      entry.quota = structuredClone(quota);
      emit({ type: 'quota', accountId, quota: structuredClone(quota) });
    },
    setExpiresAt(accountId, expiresAt) {
      const entry = entries.get(accountId);
      if (entry) entry.expiresAt = expiresAt;
    },
    recordError(accountId, message) {
      const entry = entries.get(accountId);
      if (entry) entry.lastError = { message, at: clock.now() };
    },
    get strategy() {
      return strategy;
    },
    setStrategy(next) {
      if (checkedStrategy(next) === strategy) return;
      strategy = next;
      rotation = 0;
      emit({ type: 'strategy', strategy });
    },
    snapshot: () => [...entries.values()].map(toPoolAccount),
    get(accountId) {
      const entry = entries.get(accountId);
      return entry && toPoolAccount(entry);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    dispose() {
      disposed = true;
      for (const waiter of [...queue]) waiter.reject(new Error('The account pool has been disposed.'));
      for (const entry of entries.values()) entry.stateTimer?.cancel();
      sessions.clear();
    },
  };
}

function checkedStrategy(strategy: string): PoolStrategy {
  if (!isPoolStrategy(strategy)) throw new RangeError(`Unknown account pool strategy: ${strategy}`);
  return strategy;
}

function toPoolAccount(entry: PoolEntry): PoolAccount {
  const { record, state, quota, inFlight, expiresAt, lastError } = entry;
  return structuredClone({ record, state, quota, inFlight, expiresAt, lastError });
}

/** Same keys with identical values; records and states hold only primitives. */
function shallowEqual(a: object | undefined, b: object | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => left[key] === right[key]);
}
