/**
 * Identical requests in flight share one upstream call. The first request with a key starts the call; the ones
 * that arrive while it runs subscribe to it: each gets every event produced so far, then the live ones, and the
 * same end (success or error). The call is aborted only when every subscriber has gone, so the first client
 * leaving does not cut the others off.
 *
 * Sharing is harmless only between requests that would be given the same answer anyway, so the response cache
 * coalesces under its own key: the same question (requestFingerprint.ts) from the same session and client key,
 * and only for requests it may cache (cacheEligibility.ts). By default those offer no tools and ask for
 * temperature 0: one asker sending one greedy question twice (a retry, a duplicate), which gets nothing a second
 * call could have answered differently by design. With the opt-in the user accepted one answer for both, as for
 * the cache. Each response still gets its own message id, and a follower tool ids of its own (freshToolIds.ts).
 * Requests of two sessions, or of two client keys, never share a call.
 */
import type { TurnEvent } from '../translate/turnEvents.ts';
import type { TurnSink } from '../server/turn/turnSink.ts';

/** Runs the shared call, writing its output to `sink`; rejects when it fails. */
export type SharedTurn = (sink: TurnSink, signal: AbortSignal) => Promise<void>;

export interface TurnJoin {
  /** False for the request that started the call. */
  coalesced: boolean;
  /** Settles once this subscriber has received the whole answer, or with the call's (or its own abort's) error. */
  done: Promise<void>;
}

export interface TurnCoalescer {
  /**
   * Subscribes to the call in flight for `key`, or starts one with `start`. `onSuccess` (of the starter) sees the
   * events of a completed call before it stops being joinable, so a cache filled there leaves no gap.
   */
  join(
    key: string,
    subscriber: TurnSink,
    signal: AbortSignal,
    start: SharedTurn,
    onSuccess?: (events: TurnEvent[]) => void,
  ): TurnJoin;
  /** Whether a call for `key` is running: a `join` now would subscribe to it. */
  isInFlight(key: string): boolean;
  inFlight(): number;
  coalescedCount(): number;
}

interface Subscription {
  sink: TurnSink;
  delivered: number;
  /** Deliveries to this subscriber, one after another (a slow client never sees events out of order). */
  pump: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

interface Flight {
  events: TurnEvent[];
  subscriptions: Set<Subscription>;
  /** Receives the attempt reports: the subscriber that started the call, while it stays. */
  starter?: Subscription;
  controller: AbortController;
}

export function createTurnCoalescer(): TurnCoalescer {
  const flights = new Map<string, Flight>();
  let coalesced = 0;

  return {
    join(key, subscriber, signal, start, onSuccess) {
      const existing = flights.get(key);
      if (existing !== undefined) {
        coalesced += 1;
        return { coalesced: true, done: subscribe(existing, subscriber, signal) };
      }
      const flight: Flight = {
        events: [],
        subscriptions: new Set(),
        controller: new AbortController(),
      };
      const done = subscribe(flight, subscriber, signal);
      flights.set(key, flight);
      start(sharedSink(flight), flight.controller.signal).then(
        () => {
          onSuccess?.(flight.events);
          finish(flights, key, flight);
        },
        (error: unknown) => finish(flights, key, flight, { error }),
      );
      return { coalesced: false, done };
    },
    isInFlight: (key) => flights.has(key),
    inFlight: () => flights.size,
    coalescedCount: () => coalesced,
  };
}

function subscribe(flight: Flight, sink: TurnSink, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const subscription: Subscription = { sink, delivered: 0, pump: Promise.resolve(), resolve, reject };
    flight.starter ??= subscription;
    flight.subscriptions.add(subscription);
    const leave = () => {
      drop(flight, subscription, signal.reason);
      reject(signal.reason);
    };
    signal.addEventListener('abort', leave, { once: true });
    subscription.resolve = () => {
      signal.removeEventListener('abort', leave);
      resolve();
    };
    subscription.reject = (error) => {
      signal.removeEventListener('abort', leave);
      reject(error);
    };
    if (flight.events.length > 0) void deliver(flight, subscription);
  });
}

/** Sends the subscriber what it has not seen yet; a subscriber whose client fails to take it is dropped. */
function deliver(flight: Flight, subscription: Subscription): Promise<void> {
  subscription.pump = subscription.pump.then(async () => {
    while (subscription.delivered < flight.events.length && flight.subscriptions.has(subscription)) {
      const batch = flight.events.slice(subscription.delivered);
      subscription.delivered = flight.events.length;
      try {
        await subscription.sink.onOutput(batch);
      } catch (error) {
        drop(flight, subscription, error);
        subscription.reject(error);
      }
    }
  });
  return subscription.pump;
}

/** The call goes on while anyone still wants its answer. */
function drop(flight: Flight, subscription: Subscription, reason: unknown): void {
  flight.subscriptions.delete(subscription);
  if (flight.subscriptions.size === 0) flight.controller.abort(reason);
}

function sharedSink(flight: Flight): TurnSink {
  return {
    async onOutput(events) {
      flight.events.push(...events);
      await Promise.all([...flight.subscriptions].map((subscription) => deliver(flight, subscription)));
    },
    // A restart is allowed only while no subscriber has shown output it cannot take back.
    get canRestartAfterOutput() {
      return [...flight.subscriptions].every(
        (subscription) => subscription.delivered === 0 || subscription.sink.canRestartAfterOutput,
      );
    },
    onRestart() {
      flight.events = [];
      for (const subscription of flight.subscriptions) {
        if (subscription.delivered > 0) subscription.sink.onRestart?.();
        subscription.delivered = 0;
      }
    },
    onAttempt(accountId, attempt, retryOf) {
      const starter = flight.starter;
      if (starter !== undefined && flight.subscriptions.has(starter))
        starter.sink.onAttempt?.(accountId, attempt, retryOf);
    },
  };
}

function finish(
  flights: Map<string, Flight>,
  key: string,
  flight: Flight,
  failure?: { error: unknown },
): void {
  if (flights.get(key) === flight) flights.delete(key);
  for (const subscription of flight.subscriptions) {
    void deliver(flight, subscription).then(() => {
      if (!flight.subscriptions.has(subscription)) return;
      if (failure === undefined) subscription.resolve();
      else subscription.reject(failure.error);
    });
  }
}
