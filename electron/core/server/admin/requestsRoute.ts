/**
 * `GET /admin/requests?limit=N`: the newest finished API requests (default 200, at most 1 000), and how many were
 * refused for their client key since the start.
 */
import type { Request, Response } from 'express';
import {
  RECENT_REQUESTS_KEPT,
  type RecentRequestsResponse,
  type RefusedClientKeys,
} from '../../../../shared/adminApi.ts';
import { AdminError } from './adminError.ts';
import type { RecentRequests } from './recentRequests.ts';

const DEFAULT_LIMIT = 200;

export function requestsRoute(
  recentRequests: RecentRequests,
  capturePrompts: () => boolean,
  refusedClientKeys: () => RefusedClientKeys,
) {
  return (req: Request, res: Response): void => {
    const body: RecentRequestsResponse = {
      requests: recentRequests.list(limitOf(req.query['limit'])),
      capturePrompts: capturePrompts(),
      refusedClientKeys: refusedClientKeys(),
    };
    res.json(body);
  };
}

function limitOf(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= RECENT_REQUESTS_KEPT)) {
    throw new AdminError(400, `limit must be a whole number from 1 to ${RECENT_REQUESTS_KEPT}.`);
  }
  return limit;
}
