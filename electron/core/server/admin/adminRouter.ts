/**
 * The admin API under /admin, for the dashboard and the tray: list, add, change, remove and refresh accounts,
 * import logins, choose the pool strategy, follow changes live, read the requests log, change settings, show or
 * replace the client key, set up Claude Code, and sign the dashboard in. JSON in and out; errors are
 * `{ error: { message } }`. Guarded by adminGuard.ts before anything else runs.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type {
  AdminErrorBody,
  ImportAccountsResponse,
  ListAccountsResponse,
  PoolStrategy,
  RefreshFailedBody,
  RefusedClientKeys,
  StatsResponse,
  StrategyBody,
} from '../../../../shared/adminApi.ts';
import { AccountNotFoundError } from '../../accounts/accountErrors.ts';
import type { AccountRepository } from '../../accounts/accountRepository.ts';
import type { AccountService } from '../../accounts/accountService.ts';
import type { ClientKeyHolder } from '../../config/clientKeyHolder.ts';
import type { CoreSettings } from '../../config/coreSettings.ts';
import type { Clock, Logger } from '../../ports.ts';
import { RequestError } from '../../translate/requestError.ts';
import { bodyReadError, isClientGone } from '../bodyErrors.ts';
import { rejectDeepJson } from '../jsonDepthGuard.ts';
import { validateBody } from '../validateBody.ts';
import { addAccount } from './addAccount.ts';
import { adminOriginGuard, adminTokenAuth, type AdminTokenVerifier } from './adminGuard.ts';
import { importAccountsBody, strategyBody, updateAccountBody } from './adminBodies.ts';
import { createAdminEventHub } from './adminEventHub.ts';
import { adminEventStreamRoute } from './adminEventStream.ts';
import { importAccounts } from './importAccounts.ts';
import { createAccountViews, type AccountViews } from './accountViews.ts';
import { AdminError } from './adminError.ts';
import { removeAccount } from './removeAccount.ts';
import { mountClaudeCodeRoutes } from './claudeCodeRoutes.ts';
import { mountClientKeyRoutes } from './clientKeyRoutes.ts';
import type { DashboardLogin } from './dashboardLogin.ts';
import type { RecentRequests } from './recentRequests.ts';
import { requestsRoute } from './requestsRoute.ts';
import { requestEventBatcher } from './requestEventBatcher.ts';
import { sessionRoute } from './sessionRoute.ts';
import { mountSettingsRoutes } from './settingsRoutes.ts';
import { mountTeamRoutes } from './teamRoutes.ts';
import type { TeamAccess } from '../../keys/teamAccess.ts';
import { mountSignInRoutes } from './signInRoutes.ts';
import { mountBatchImportRoutes } from './batchImportRoutes.ts';
import type { KiroClient } from '../../kiro/kiroClient.ts';
import type { SignInSessions } from '../../signin/signInSessions.ts';
import { errorMessage } from '../../../../shared/errorMessage.ts';

export interface AdminRouterOptions {
  /** The run's admin token or a dashboard session. */
  verifyToken: AdminTokenVerifier;
  /** Exchanges the dashboard's one-time login codes for sessions (`POST /admin/session`). */
  login: DashboardLogin;
  recentRequests: RecentRequests;
  /** Requests refused for their client key since the start; undefined: none are counted. */
  refusedClientKeys?: () => RefusedClientKeys;
  settings: CoreSettings;
  clientKey: ClientKeyHolder;
  /** Claude Code's settings file; undefined: the host did not say, and the Claude Code routes answer 404. */
  claudeSettingsPath?: string;
  /** The URL Claude Code should use to reach this proxy. */
  proxyBaseUrl(): string;
  accounts: AccountService;
  repository: AccountRepository;
  clock: Clock;
  logger: Logger;
  /** Persists the strategy the user chose, so the next start uses it. */
  saveStrategy(strategy: PoolStrategy): void;
  /** The Kiro IDE's login folder; undefined: IDE import is off for this run. */
  kiroAuthDir?: string;
  /** kiro-cli databases to import from; default: the OS's usual places. */
  kiroCliDatabasePaths?: string[];
  /** The client batch imports prove each login with; undefined: no batch import route. */
  client?: Pick<KiroClient, 'refreshSocialToken' | 'refreshIdcToken'>;
  /** Sign-ins in progress (`/admin/sign-in`); undefined: no sign-in routes. */
  signIn?: SignInSessions;
  /** The 15-minute stats pushed on the event stream; undefined: no stats events. */
  statsReport?: () => StatsResponse;
  /** The team's client keys and the usage ledger (`/admin/keys`, `/admin/usage`); undefined: no such routes. */
  team?: TeamAccess;
}

const BODY_LIMIT = '64kb';
/** Admin bodies are flat settings and account fields. */
const MAX_ADMIN_BODY_DEPTH = 16;

export function createAdminRouter(options: AdminRouterOptions): express.Router {
  const { accounts, clock, logger } = options;
  const views = createAccountViews(accounts.pool, options.repository);
  const hub = createAdminEventHub({
    pool: accounts.pool,
    clock,
    logger,
    viewOf: views.viewOf,
    statsReport: options.statsReport,
    sources: [
      requestEventBatcher(options.recentRequests, clock),
      (emit) => options.settings.onChange((settings) => emit({ type: 'settings', settings })),
    ],
  });
  const router = express.Router();
  router.use(adminOriginGuard(() => [options.settings.listening()?.host]));
  // The one route without a Bearer token: it is how the dashboard gets one.
  router.post('/session', ...sessionRoute(options.login, clock));
  router.use(adminTokenAuth(options.verifyToken));
  router.use(express.json({ limit: BODY_LIMIT }), rejectDeepJson(MAX_ADMIN_BODY_DEPTH));
  mountAccountRoutes(router, options, views);
  if (options.signIn) mountSignInRoutes(router, options.signIn);
  if (options.client)
    mountBatchImportRoutes(router, {
      repository: options.repository,
      client: options.client,
      clock,
      logger,
      afterImport: () => accounts.reload(),
    });
  mountPoolRoutes(router, options);
  router.get(
    '/requests',
    requestsRoute(
      options.recentRequests,
      () => options.settings.capturePrompts(),
      options.refusedClientKeys ?? (() => ({ missing: 0, unknown: 0 })),
    ),
  );
  mountSettingsRoutes(router, options.settings, logger);
  mountClientKeyRoutes(router, options.clientKey, {
    logger,
    onRegenerated: () => options.settings.changed(),
  });
  if (options.team) mountTeamRoutes(router, options.team, { clock, logger });
  mountClaudeCodeRoutes(router, {
    settingsPath: options.claudeSettingsPath,
    baseUrl: options.proxyBaseUrl,
    clientKey: () => options.clientKey.current(),
    clock,
    logger,
  });
  router.get('/events', adminEventStreamRoute(hub, clock));
  router.use((req: Request) => {
    throw new AdminError(404, `No admin route for ${req.method} ${req.baseUrl}${req.path}.`);
  });
  router.use(adminErrorHandler(logger));
  return router;
}

function mountAccountRoutes(router: express.Router, options: AdminRouterOptions, views: AccountViews): void {
  const { accounts, repository } = options;
  router.get('/accounts', async (_req, res) => {
    const body: ListAccountsResponse = { accounts: await views.list(), strategy: accounts.pool.strategy };
    res.json(body);
  });
  router.post('/accounts', async (req, res) => {
    const id = await addAccount(accounts, repository, req.body);
    res.status(201).json(await views.require(id));
  });
  router.post('/accounts/import', async (req, res) => {
    const { from } = validateBody(importAccountsBody, req.body);
    const result: ImportAccountsResponse = await importAccounts(from, options);
    res.json(result);
  });
  router.patch('/accounts/:id', async (req, res) => {
    const patch = validateBody(updateAccountBody, req.body);
    repository.update(req.params['id'], patch);
    await accounts.reload();
    res.json(await views.require(req.params['id']));
  });
  router.delete('/accounts/:id', async (req, res) => {
    await removeAccount(accounts, repository, req.params['id'], options.kiroAuthDir);
    res.status(204).end();
  });
  router.post('/accounts/:id/refresh', async (req, res) => {
    const id = req.params['id'];
    const failure = await refreshAccountNow(accounts, repository, id);
    const account = await views.require(id);
    if (!failure) {
      res.json(account);
      return;
    }
    const body: RefreshFailedBody = { error: { message: failure }, account };
    res.status(502).json(body);
  });
}

function mountPoolRoutes(router: express.Router, options: AdminRouterOptions): void {
  const { pool } = options.accounts;
  router.get('/pool/strategy', (_req, res) => {
    const body: StrategyBody = { strategy: pool.strategy };
    res.json(body);
  });
  router.put('/pool/strategy', (req, res) => {
    const { strategy } = validateBody(strategyBody, req.body);
    options.saveStrategy(strategy);
    pool.setStrategy(strategy);
    const body: StrategyBody = { strategy };
    res.json(body);
  });
}

/**
 * The token (unless the account has only an API key, which never expires), then the quota; the failure's reason
 * as Kiro gave it — a refusal is not "no answer".
 */
async function refreshAccountNow(
  accounts: AccountService,
  repository: AccountRepository,
  id: string,
): Promise<string | undefined> {
  const record = repository.get(id);
  if (!record) throw new AccountNotFoundError(id);
  const check = await accounts.verifyCredential(id);
  const what = record.authMethod === 'api_key' ? 'the API key' : 'the login';
  switch (check.outcome) {
    case 'accepted':
      return undefined;
    case 'rejected':
      return `Kiro rejected ${what} of "${record.label}": ${check.reason}`;
    case 'unchecked':
      return `Kiro could not be asked about ${what} of "${record.label}": ${check.reason}`;
  }
}

/** As the API's: a client that went away is no error, a body the client got wrong is its 4xx. */
function adminErrorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent || isClientGone(error, req)) {
      logger.debug({ path: req.path, error: errorMessage(error) }, 'admin request ended early: client gone');
      if (!res.writableEnded) res.destroy();
      return;
    }
    const { status, message } = describeError(bodyReadError(error, req, BODY_LIMIT) ?? error);
    if (status === 500) logger.error({ error: errorMessage(error) }, 'admin request failed');
    const body: AdminErrorBody = { error: { message } };
    res.status(status).json(body);
  };
}

function describeError(error: unknown): { status: number; message: string } {
  if (error instanceof AdminError || error instanceof RequestError)
    return { status: error.status, message: error.message };
  if (error instanceof AccountNotFoundError) return { status: 404, message: error.message };
  return { status: 500, message: 'Internal error in Kiro Dock; see its log.' };
}
