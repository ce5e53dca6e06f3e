/** What `GET /health` answers: enough to tell whether the proxy can serve, nothing secret. Pure. */
import type { HealthResponse, UpstreamStatusView } from '../../../shared/adminApi.ts';
import type { PoolAccount } from '../accounts/accountPool.ts';

export interface HealthFacts {
  version: string;
  /** Epoch ms. */
  startedAt: number;
  now: number;
  accounts: readonly Pick<PoolAccount, 'state'>[];
  upstream: UpstreamStatusView;
  inFlight: number;
}

/**
 * Unavailable without an active account; degraded when some account cannot serve or the last call to Kiro
 * failed for a reason of Kiro's (the request path saw it, no probe is made).
 */
export function healthReport(facts: HealthFacts): HealthResponse {
  const byState: Record<string, number> = {};
  for (const account of facts.accounts) byState[account.state.kind] = (byState[account.state.kind] ?? 0) + 1;
  const active = byState['active'] ?? 0;
  const degraded = active < facts.accounts.length || facts.upstream.state === 'failing';
  return {
    status: active === 0 ? 'unavailable' : degraded ? 'degraded' : 'ok',
    version: facts.version,
    uptimeSeconds: Math.max(0, Math.round((facts.now - facts.startedAt) / 1000)),
    accounts: { total: facts.accounts.length, byState },
    upstream: facts.upstream,
    inFlight: facts.inFlight,
  };
}
