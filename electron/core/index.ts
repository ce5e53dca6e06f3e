/**
 * The core, assembled from ports. Hosts (the Electron main process, `kiro-dock serve`, tests) decide where
 * files live and how secrets are kept; the core never imports Electron.
 */
import type express from 'express';
import { createIdeAccount, type AccountCredentials } from './accounts/ideAccount.ts';
import { createKiroClient, type ClientTimeouts, type KiroClient } from './kiro/kiroClient.ts';
import { resolveKiroEndpoints } from './kiro/kiroEndpoints.ts';
import type { Logger } from './ports.ts';
import { createApp } from './server/createApp.ts';
import { logRequest } from './server/requestLog.ts';
import type { ServerSettings } from './server/routes/routeContext.ts';

export interface CoreOptions {
  /** Folder holding the Kiro IDE's kiro-auth-token.json (normally ~/.aws/sso/cache). */
  kiroAuthDir: string;
  /** The key clients must present. */
  clientKey: string;
  logger: Logger;
  version: string;
  /** One base URL for every Kiro call (emulator, tests, benchmarks). */
  upstreamUrl?: string;
  region?: string;
  settings?: Partial<ServerSettings>;
  timeouts?: Partial<ClientTimeouts>;
}

export interface Core {
  app: express.Express;
  client: KiroClient;
  account: AccountCredentials;
  dispose(): void;
}

export function createCore(options: CoreOptions): Core {
  const client = createKiroClient({
    endpoints: resolveKiroEndpoints({ region: options.region, upstreamUrl: options.upstreamUrl }),
    timeouts: options.timeouts,
  });
  const account = createIdeAccount({ authDir: options.kiroAuthDir, client, logger: options.logger });
  const app = createApp({
    clientKey: options.clientKey,
    context: {
      turnDeps: { client, account, logger: options.logger },
      settings: { modelAliases: {}, ...options.settings },
      logger: options.logger,
      version: options.version,
      startedAt: Date.now(),
      describeAccount: () => account.describe(),
      recordRequest: (req, record) => logRequest(options.logger, req, record),
    },
  });
  return { app, client, account, dispose: () => client.close() };
}
