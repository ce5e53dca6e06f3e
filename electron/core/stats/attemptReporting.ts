import type { AccountService } from '../accounts/accountService.ts';
import { UpstreamError } from '../kiro/upstreamError.ts';
import type { RequestStats } from './requestStats.ts';

/**
 * The account service as the request path uses it, counting the attempts that fail over: the request path
 * reports each such failure (and each rejected token it refreshes) here, while the attempt that ends a request
 * is counted from its RequestRecord.
 */
export function withAttemptReporting(accounts: AccountService, stats: RequestStats): AccountService {
  return {
    ...accounts,
    reportFailure(accountId, error, state, checkQuota) {
      stats.recordAttempt(accountId, error instanceof UpstreamError ? error.kind : 'error');
      accounts.reportFailure(accountId, error, state, checkQuota);
    },
    forceRefresh(accountId, rejected) {
      stats.recordAttempt(accountId, 'invalid_token');
      return accounts.forceRefresh(accountId, rejected);
    },
  };
}
