/**
 * Pool changes as admin events, for every connected dashboard at once. A burst of changes to one account
 * (a failover storm, a sync touching every account) becomes at most one event per account per interval,
 * carrying the account's latest view; a view identical to the last one sent is not sent again. Other sources
 * (finished requests, settings) are followed, like the pool, only while someone listens.
 */
import {
  STATS_EVENT_INTERVAL_MS,
  type AccountView,
  type AdminEvent,
  type StatsResponse,
} from '../../../../shared/adminApi.ts';
import type { AccountPool, PoolEvent } from '../../accounts/accountPool.ts';
import type { Clock, Logger, Timer } from '../../ports.ts';
import { errorMessage } from '../../../../shared/errorMessage.ts';

export const ACCOUNT_EVENT_INTERVAL_MS = 250;

/** Starts sending events to `emit`; returns the function that stops it. */
export type AdminEventSource = (emit: (event: AdminEvent) => void) => () => void;

export interface AdminEventHubOptions {
  pool: AccountPool;
  clock: Clock;
  logger: Logger;
  viewOf(accountId: string): Promise<AccountView | undefined>;
  /** The dashboard's 15-minute stats, pushed at a fixed cadence (never per request); undefined: not pushed. */
  statsReport?(): StatsResponse;
  sources?: AdminEventSource[];
}

export interface AdminEventHub {
  /** Returns the unsubscribe function. The pool is followed only while someone listens. */
  subscribe(listener: (event: AdminEvent) => void): () => void;
}

interface AccountSlot {
  lastSentAt: number;
  lastJson?: string;
  /** A trailing send is due: the changes since the last send go out with it. */
  timer?: Timer;
}

export function createAdminEventHub(options: AdminEventHubOptions): AdminEventHub {
  const { pool, clock } = options;
  const listeners = new Set<(event: AdminEvent) => void>();
  const slots = new Map<string, AccountSlot>();
  let known = new Set<string>();
  let stopFollowing: (() => void) | undefined;
  let stopSources: (() => void)[] = [];
  let statsTimer: Timer | undefined;

  function pushStats(): void {
    const report = options.statsReport;
    if (!report || listeners.size === 0) return;
    broadcast({ type: 'stats', stats: report() });
    statsTimer = clock.setTimer(pushStats, STATS_EVENT_INTERVAL_MS);
  }

  function broadcast(event: AdminEvent): void {
    for (const listener of [...listeners]) listener(event);
  }

  function touch(accountId: string): void {
    const slot = slots.get(accountId) ?? { lastSentAt: Number.NEGATIVE_INFINITY };
    slots.set(accountId, slot);
    if (slot.timer) return;
    const waitMs = slot.lastSentAt + ACCOUNT_EVENT_INTERVAL_MS - clock.now();
    if (waitMs <= 0) {
      void send(accountId, slot);
      return;
    }
    slot.timer = clock.setTimer(() => {
      slot.timer = undefined;
      void send(accountId, slot);
    }, waitMs);
  }

  async function send(accountId: string, slot: AccountSlot): Promise<void> {
    slot.lastSentAt = clock.now();
    try {
      const view = await options.viewOf(accountId);
      // Removed while the view was being read: its removal was announced already.
      if (!view || !known.has(accountId) || slots.get(accountId) !== slot) return;
      const json = JSON.stringify(view);
      if (json === slot.lastJson) return;
      slot.lastJson = json;
      broadcast({ type: 'account', account: view });
    } catch (error) {
      options.logger.warn({ account: accountId, error: errorMessage(error) }, 'admin event not sent');
    }
  }

  function onPoolEvent(event: PoolEvent): void {
    if (event.type === 'strategy') {
      broadcast({ type: 'strategy', strategy: event.strategy });
    } else if (event.type === 'accounts') {
      const ids = pool.snapshot().map((account) => account.record.id);
      const previous = known;
      known = new Set(ids);
      for (const id of previous) if (!known.has(id)) announceRemoval(id);
      for (const id of ids) touch(id);
    } else {
      touch(event.accountId);
    }
  }

  function announceRemoval(accountId: string): void {
    slots.get(accountId)?.timer?.cancel();
    slots.delete(accountId);
    broadcast({ type: 'account_removed', id: accountId });
  }

  function stop(): void {
    statsTimer?.cancel();
    statsTimer = undefined;
    stopFollowing?.();
    stopFollowing = undefined;
    for (const stopSource of stopSources) stopSource();
    stopSources = [];
    for (const slot of slots.values()) slot.timer?.cancel();
    slots.clear();
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!stopFollowing) {
        known = new Set(pool.snapshot().map((account) => account.record.id));
        stopFollowing = pool.onEvent(onPoolEvent);
        stopSources = (options.sources ?? []).map((source) => source(broadcast));
        if (options.statsReport) statsTimer = clock.setTimer(pushStats, STATS_EVENT_INTERVAL_MS);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stop();
      };
    },
  };
}
