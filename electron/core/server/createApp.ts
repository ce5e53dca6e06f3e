/**
 * The HTTP app (no listening here: tests bind port 0, hosts choose host and port). Routes are matched on the
 * path only, so `POST /v1/messages?beta=true` (what Claude Code sends) is `/v1/messages`.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { DASHBOARD_PATH } from '../../../shared/adminApi.ts';
import type { Logger } from '../ports.ts';
import { RequestError } from '../translate/requestError.ts';
import { dialectOfPath, sendClientError, type ApiDialect } from './apiDialect.ts';
import { bodyReadError, isClientGone } from './bodyErrors.ts';
import { clientKeyAuth } from './clientKeyAuth.ts';
import type { RefusedClientKeysRecorder } from './refusedClientKeys.ts';
import { toClientError } from './clientErrors.ts';
import { rejectDeepJson } from './jsonDepthGuard.ts';
import { keyPolicyGuard } from './keyPolicyGuard.ts';
import type { KeyIdentity } from '../keys/clientKeyRecord.ts';
import type { KeyPolicyDeps } from '../keys/keyPolicy.ts';
import { DASHBOARD_FAVICON, dashboardStatic } from './dashboardStatic.ts';
import { requestId } from './requestId.ts';
import { createAdminRouter, type AdminRouterOptions } from './admin/adminRouter.ts';
import { anthropicCountTokensRoute, anthropicMessagesRoute } from './routes/anthropicMessages.ts';
import { openaiChatCompletionsRoute } from './routes/openaiChatCompletions.ts';
import { openaiResponsesRoute } from './routes/openaiResponses.ts';
import { healthRoute, modelRoute, modelsRoute } from './routes/modelsAndHealth.ts';
import type { RouteContext } from './routes/routeContext.ts';
import {
  adminStatsRouter,
  inFlightTracker,
  metricsRouter,
  type StatsRoutesOptions,
} from './admin/statsRoutes.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

/** Requests carry whole conversations with images; Kiro itself caps the translated body near 600 KB. */
const BODY_LIMIT = '50mb';

export interface AppOptions {
  /** Read on every request: a regenerated key replaces the old one at once. */
  clientKey: () => string;
  /** The team's keys besides the default one, and what each may do; absent: the default key only. */
  teamKeys?: { identify(presented: string): KeyIdentity | undefined; policy: KeyPolicyDeps };
  context: RouteContext;
  /** The admin API under /admin, with its own token; undefined: no admin API. */
  admin?: AdminRouterOptions;
  /** /metrics, /admin/stats, in-flight counting and the detailed /health; undefined: none of them. */
  stats?: StatsRoutesOptions;
  /** The built dashboard served at /dashboard/; undefined (or not built): a page saying how to build it. */
  dashboardDir?: string;
  /** Told of each request refused for its client key (never the key). */
  refusedClientKeys?: RefusedClientKeysRecorder;
}

function dialectOf(req: Request): ApiDialect {
  return dialectOfPath(req.path, req.headers['anthropic-version']);
}

export function createApp(options: AppOptions): express.Express {
  const { context } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId());
  app.get('/health', healthRoute(context, options.stats?.stats));
  if (options.stats) {
    const settings = options.admin?.settings;
    const stats = { configuredHosts: () => [settings?.listening()?.host], ...options.stats };
    app.use(metricsRouter(stats));
    // Ahead of the admin router, whose catch-all would answer 404 for a path it does not know.
    app.use(adminStatsRouter(stats));
    app.use('/v1', inFlightTracker(options.stats.stats));
  }
  // Before the client routes: /admin has its own guard and token, and the client key means nothing there.
  if (options.admin) app.use('/admin', createAdminRouter(options.admin));
  // Static files anyone on loopback may load: ahead of the client key check, which would refuse a browser.
  app.use(DASHBOARD_PATH, dashboardStatic(options.dashboardDir));
  // Browsers ask for /favicon.ico on their own; the icon is the dashboard's, and asking needs no key.
  app.get('/favicon.ico', (_req: Request, res: Response) => {
    res.redirect(301, `${DASHBOARD_PATH}/${DASHBOARD_FAVICON}`);
  });

  const api = express.Router();
  const refused = options.refusedClientKeys;
  api.use(
    clientKeyAuth(options.clientKey, dialectOf, {
      identify: options.teamKeys?.identify,
      onRefused: (problem, req, res, message) =>
        refused?.record(problem, { requestId: String(res.locals['requestId']), route: req.path, message }),
    }),
  );
  api.use(
    express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json', 'text/plain'] }),
  );
  api.use(rejectDeepJson());
  if (options.teamKeys) {
    api.use(
      keyPolicyGuard(options.teamKeys.policy, dialectOf, (req, record) => context.recordRequest(req, record)),
    );
  }
  api.post('/v1/messages', anthropicMessagesRoute(context));
  api.post('/v1/messages/count_tokens', anthropicCountTokensRoute(context));
  api.post('/v1/chat/completions', openaiChatCompletionsRoute(context));
  api.post('/v1/responses', openaiResponsesRoute(context));
  api.get('/v1/models', modelsRoute(context));
  api.get('/v1/models/:id', modelRoute(context));
  app.use(api);

  app.use((req: Request, res: Response) => {
    sendClientError(
      res,
      dialectOf(req),
      new RequestError(`No route for ${req.method} ${req.path}.`, 'not_found_error', 404),
    );
  });
  app.use(apiErrorHandler(context.logger));
  return app;
}

/**
 * Body failures become the client's 4xx; a client that went away is told nothing and is no error; anything
 * else is a 500 whose cause goes to the log the message points to.
 */
function apiErrorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent || isClientGone(error, req)) {
      logger.debug(
        { path: req.path, error: errorMessage(error) },
        'request ended early: client gone or answer begun',
      );
      if (!res.writableEnded) res.destroy();
      return;
    }
    const clientError = bodyReadError(error, req, BODY_LIMIT) ?? error;
    if (toClientError(clientError).status === 500)
      logger.error({ path: req.path, error: errorMessage(error) }, 'request failed unexpectedly');
    sendClientError(res, dialectOf(req), clientError);
  };
}
