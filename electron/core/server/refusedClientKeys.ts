/**
 * Requests refused for their client key. A client with a stale or missing key otherwise fails out of sight: the
 * user sees nothing in the log or on the Requests page. Each is counted; the log and the requests log get at most
 * one entry per second of each kind (with how many were left out), so a client retrying in a loop cannot push
 * everything else out of them. The key itself is never kept anywhere.
 */
import type { ClientKeyProblem, RefusedClientKeys, RequestLogEntry } from '../../../shared/adminApi.ts';
import type { Clock, Logger } from '../ports.ts';
import type { RecentRequests } from './admin/recentRequests.ts';

export interface RefusedClientKeyRequest {
  requestId: string;
  route: string;
  message: string;
}

export interface RefusedClientKeysRecorder {
  record(problem: ClientKeyProblem, request: RefusedClientKeyRequest): void;
  summary(): RefusedClientKeys;
}

const RECORD_EVERY_MS = 1_000;

export function createRefusedClientKeys(deps: {
  clock: Clock;
  logger: Logger;
  recentRequests: RecentRequests;
}): RefusedClientKeysRecorder {
  const counts: RefusedClientKeys = { missing: 0, unknown: 0 };
  const lastRecorded = new Map<ClientKeyProblem, number>();
  const leftOut = new Map<ClientKeyProblem, number>();

  return {
    record(problem, request) {
      const now = deps.clock.now();
      counts[problem] += 1;
      counts.lastAt = now;
      const last = lastRecorded.get(problem);
      if (last !== undefined && now - last < RECORD_EVERY_MS) {
        leftOut.set(problem, (leftOut.get(problem) ?? 0) + 1);
        return;
      }
      lastRecorded.set(problem, now);
      const skipped = leftOut.get(problem) ?? 0;
      leftOut.delete(problem);
      deps.logger.warn(
        { reqId: request.requestId, route: request.route, clientKey: problem, ...(skipped && { skipped }) },
        problem === 'missing' ? 'request refused: no client key' : 'request refused: unknown client key',
      );
      const entry: RequestLogEntry = {
        id: request.requestId,
        at: now,
        route: request.route,
        status: 401,
        stream: false,
        durationMs: 0,
        error: request.message,
        clientKey: problem,
      };
      deps.recentRequests.add(entry);
    },
    summary: () => ({ ...counts }),
  };
}
