/**
 * What the dashboard knows about the proxy, and how each live event changes it. Pure: the provider feeds it the
 * answers of the admin API and the events of its stream.
 */
import {
  RECENT_REQUESTS_KEPT,
  type AccountView,
  type AdminEvent,
  type HealthResponse,
  type PoolStrategy,
  type RequestLogEntry,
  type SettingsView,
  type StatsResponse,
} from '../../../shared/adminApi.ts';
import type { EventStreamStatus } from '../api/adminEvents.ts';

export interface DashboardState {
  accounts?: AccountView[];
  strategy?: PoolStrategy;
  stats15m?: StatsResponse;
  requests: RequestLogEntry[];
  capturePrompts: boolean;
  settings?: SettingsView;
  health?: HealthResponse;
  /** The proxy could not be reached at the last attempt (then `health` is stale). */
  unreachable: boolean;
  events: EventStreamStatus;
  /** The first load failed for a reason other than reachability. */
  loadError?: string;
}

export const initialDashboardState: DashboardState = {
  requests: [],
  capturePrompts: false,
  unreachable: false,
  events: 'connecting',
};

export type DashboardAction =
  | { type: 'loaded'; accounts: AccountView[]; strategy: PoolStrategy; stats: StatsResponse }
  | { type: 'requests_loaded'; requests: RequestLogEntry[]; capturePrompts: boolean }
  | { type: 'settings_loaded'; settings: SettingsView }
  | { type: 'health'; health: HealthResponse | undefined }
  | { type: 'load_failed'; message: string }
  | { type: 'events'; status: EventStreamStatus }
  | { type: 'event'; event: AdminEvent }
  | { type: 'account_changed'; account: AccountView }
  | { type: 'account_removed'; id: string };

export function dashboardReducer(state: DashboardState, action: DashboardAction): DashboardState {
  switch (action.type) {
    case 'loaded':
      return {
        ...state,
        accounts: action.accounts,
        strategy: action.strategy,
        stats15m: action.stats,
        loadError: undefined,
      };
    case 'requests_loaded':
      return { ...state, requests: action.requests, capturePrompts: action.capturePrompts };
    case 'settings_loaded':
      return { ...state, settings: action.settings, capturePrompts: action.settings.capturePrompts };
    case 'health':
      return { ...state, health: action.health ?? state.health, unreachable: action.health === undefined };
    case 'load_failed':
      return { ...state, loadError: action.message };
    case 'events':
      return { ...state, events: action.status };
    case 'account_changed':
      return { ...state, accounts: upsertAccount(state.accounts, action.account) };
    case 'account_removed':
      return { ...state, accounts: state.accounts?.filter((account) => account.id !== action.id) };
    case 'event':
      return applyEvent(state, action.event);
  }
}

function applyEvent(state: DashboardState, event: AdminEvent): DashboardState {
  switch (event.type) {
    case 'account':
      return { ...state, accounts: upsertAccount(state.accounts, event.account) };
    case 'account_removed':
      return { ...state, accounts: state.accounts?.filter((account) => account.id !== event.id) };
    case 'strategy':
      return { ...state, strategy: event.strategy };
    case 'stats':
      return { ...state, stats15m: event.stats };
    case 'requests': {
      const arrived = new Set(event.requests.map((entry) => entry.id));
      return {
        ...state,
        requests: [...event.requests, ...state.requests.filter((entry) => !arrived.has(entry.id))].slice(
          0,
          RECENT_REQUESTS_KEPT,
        ),
      };
    }
    case 'settings':
      return {
        ...state,
        settings: event.settings,
        capturePrompts: event.settings.capturePrompts,
        strategy: event.settings.poolStrategy,
      };
  }
}

/**
 * Replaces the account with the same id in place (keeping the table's order), or appends a new one. Before the
 * first load there is no list to change: one account alone would pass for the whole pool until the list came.
 */
function upsertAccount(accounts: AccountView[] | undefined, account: AccountView): AccountView[] | undefined {
  if (!accounts) return undefined;
  const index = accounts.findIndex((existing) => existing.id === account.id);
  if (index === -1) return [...accounts, account];
  return accounts.map((existing, i) => (i === index ? account : existing));
}

/** Accounts that serve now vs. all accounts; the header and the overview show this pair. */
export function accountCounts(accounts: AccountView[] | undefined): { ok: number; total: number } {
  const list = accounts ?? [];
  return { ok: list.filter((account) => account.state.kind === 'active').length, total: list.length };
}
