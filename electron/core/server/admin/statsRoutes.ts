/**
 * The HTTP side of the stats: `GET /metrics` (Prometheus text), `GET /admin/stats` (the dashboard's series),
 * and the middleware counting the API requests being served.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { STATS_WINDOWS, type AdminErrorBody, type StatsWindow } from '../../../../shared/adminApi.ts';
import { adminOriginGuard, adminTokenAuth, type AdminTokenVerifier } from './adminGuard.ts';
import type { RequestStats } from '../../stats/requestStats.ts';

export interface StatsRoutesOptions {
  stats: RequestStats;
  /** The admin API's Bearer check (the run's token or a dashboard session). */
  verifyAdminToken: AdminTokenVerifier;
  /** Read on every scrape, so switching the setting needs no restart. */
  metricsPublic(): boolean;
  /** The host the proxy listens on, which the Host check accepts besides its addresses (adminGuard.ts). */
  configuredHosts?: () => readonly (string | undefined)[];
}

/** `/metrics` needs the admin token unless the user made it public; the Host check always applies. */
export function metricsRouter(options: StatsRoutesOptions): express.Router {
  const router = express.Router();
  const tokenAuth = adminTokenAuth(options.verifyAdminToken);
  router.get(
    '/metrics',
    adminOriginGuard(options.configuredHosts),
    (req: Request, res: Response, next: NextFunction) => {
      if (options.metricsPublic()) next();
      else tokenAuth(req, res, next);
    },
    async (_req: Request, res: Response) => {
      const text = await options.stats.metricsText();
      res.setHeader('content-type', options.stats.metricsContentType);
      res.send(text);
    },
  );
  return router;
}

/** `GET /admin/stats?window=15m|24h` (default 15m), behind the admin API's own guards. */
export function adminStatsRouter(options: StatsRoutesOptions): express.Router {
  const router = express.Router();
  router.get(
    '/admin/stats',
    adminOriginGuard(options.configuredHosts),
    adminTokenAuth(options.verifyAdminToken),
    (req: Request, res: Response) => {
      const window = req.query['window'] ?? '15m';
      if (!isStatsWindow(window)) {
        const body: AdminErrorBody = {
          error: { message: `window must be one of ${STATS_WINDOWS.join(', ')}.` },
        };
        res.status(400).json(body);
        return;
      }
      res.json(options.stats.report(window));
    },
  );
  return router;
}

/** Counts a request from its arrival until its connection is done with it (answered, failed or abandoned). */
export function inFlightTracker(stats: RequestStats) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    stats.requestStarted();
    res.once('close', () => stats.requestEnded());
    next();
  };
}

function isStatsWindow(value: unknown): value is StatsWindow {
  return typeof value === 'string' && (STATS_WINDOWS as readonly string[]).includes(value);
}
