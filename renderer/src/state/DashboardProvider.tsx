/**
 * Loads what the dashboard shows from the admin API, follows the live events, and polls /health (the one thing
 * not pushed). Pages read it with `useDashboard()` and act through `client`.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  type ReactNode,
} from 'react';
import { AdminApiError, type AdminClient } from '../api/adminClient.ts';
import { followAdminEvents } from '../api/adminEvents.ts';
import {
  dashboardReducer,
  initialDashboardState,
  type DashboardAction,
  type DashboardState,
} from './dashboardState.ts';

export const HEALTH_POLL_MS = 10_000;

export interface DashboardContextValue {
  state: DashboardState;
  client: AdminClient;
  dispatch(action: DashboardAction): void;
  /** Loads everything again (after an action whose result is not announced by an event). */
  reload(): Promise<void>;
}

const DashboardContext = createContext<DashboardContextValue | undefined>(undefined);

export interface DashboardProviderProps {
  client: AdminClient;
  token(): string | undefined;
  /** The session ended (401 on the event stream). */
  onSignedOut(): void;
  children: ReactNode;
  fetch?: typeof fetch;
}

export function DashboardProvider({ client, token, onSignedOut, children, fetch }: DashboardProviderProps) {
  const [state, dispatch] = useReducer(dashboardReducer, initialDashboardState);

  const loadHealth = useCallback(async () => {
    const health = await client.health().catch(() => undefined);
    dispatch({ type: 'health', health });
  }, [client]);

  const reload = useCallback(async () => {
    try {
      const [list, stats] = await Promise.all([client.listAccounts(), client.stats('15m')]);
      dispatch({ type: 'loaded', accounts: list.accounts, strategy: list.strategy, stats });
    } catch (error) {
      if (!(error instanceof AdminApiError) || error.status !== 0) {
        dispatch({ type: 'load_failed', message: (error as Error).message });
      }
    }
    // Older proxies may lack these routes; the pages that need them show their own empty states.
    const [requests, settings] = await Promise.all([
      client.recentRequests().catch(() => undefined),
      client.settings().catch(() => undefined),
    ]);
    if (requests) dispatch({ type: 'requests_loaded', ...requests });
    if (settings) dispatch({ type: 'settings_loaded', settings });
    await loadHealth();
  }, [client, loadHealth]);

  useEffect(() => {
    void reload();
    const stop = followAdminEvents({
      token,
      fetch,
      onEvent: (event) => dispatch({ type: 'event', event }),
      onStatus: (status) => {
        dispatch({ type: 'events', status });
        if (status === 'unauthorized') onSignedOut();
        // Whatever happened while the stream was down is read again once it is back.
        if (status === 'live') void reload();
      },
    });
    const healthTimer = setInterval(() => void loadHealth(), HEALTH_POLL_MS);
    return () => {
      stop();
      clearInterval(healthTimer);
    };
  }, [reload, loadHealth, token, onSignedOut, fetch]);

  const value = useMemo(() => ({ state, client, dispatch, reload }), [state, client, reload]);
  return <DashboardContext.Provider value={value}>{children}</DashboardContext.Provider>;
}

export function useDashboard(): DashboardContextValue {
  const value = useContext(DashboardContext);
  if (!value) throw new Error('useDashboard() outside <DashboardProvider>');
  return value;
}
