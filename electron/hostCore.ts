/**
 * What both hosts (`kiro-dock serve` and the desktop app) do around the core: resolve the client key, mint the
 * per-run admin token, assemble the core with the host's paths, and bind or unbind the proxy.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  createCore,
  listen,
  resolveClientKey,
  type Core,
  type CoreOptions,
  type ListenAddress,
  type ListenOverrides,
  type ResolvedClientKey,
  type RunningServer,
} from './core/index.ts';
import type { Logger, SecretStore, SettingsStore } from './core/ports.ts';
import { claudeSettingsPath } from './hostPaths.ts';

export interface HostCoreOptions {
  settings: SettingsStore;
  secrets: SecretStore;
  logger: Logger;
  version: string;
  kiroAuthDir: string | undefined;
  dashboardDir: string | undefined;
  region?: string;
  poolLimits?: CoreOptions['poolLimits'];
  env?: NodeJS.ProcessEnv;
  usageLedger?: CoreOptions['usageLedger'];
  sharedTeamState?: CoreOptions['sharedTeamState'];
  sharedAccounts?: CoreOptions['sharedAccounts'];
}

export interface HostCore {
  core: Core;
  clientKey: ResolvedClientKey;
  adminToken: string;
}

export async function createHostCore(options: HostCoreOptions): Promise<HostCore> {
  const env = options.env ?? process.env;
  const clientKey = await resolveClientKey(options.secrets, env['KIRO_DOCK_API_KEY']);
  // Per run, never stored: whoever can read this process's output controls the accounts until it stops.
  const adminToken = env['KIRO_DOCK_ADMIN_TOKEN'] || `kda-${randomBytes(24).toString('base64url')}`;
  const core = createCore({
    kiroAuthDir: options.kiroAuthDir,
    clientKey: clientKey.key,
    clientKeyFromEnvironment: clientKey.origin === 'environment',
    adminToken,
    logger: options.logger,
    version: options.version,
    settings: options.settings,
    secrets: options.secrets,
    upstreamUrl: env['KIRO_DOCK_UPSTREAM_URL'] || undefined,
    region: options.region,
    poolLimits: options.poolLimits,
    dashboardDir: options.dashboardDir,
    claudeSettingsPath: claudeSettingsPath(env),
    usageLedger: options.usageLedger,
    sharedTeamState: options.sharedTeamState,
    sharedAccounts: options.sharedAccounts,
  });
  return { core, clientKey, adminToken };
}

/** The port is taken by another program; each host says in its own words how to pick another. */
export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use`);
    this.name = 'PortInUseError';
  }
}

export interface BoundProxy {
  running: RunningServer;
  /** The address actually bound (port 0 resolved). */
  bound: ListenAddress;
}

/** Binds the core's app and tells the core where it listens; a taken port becomes a PortInUseError. */
export async function bindProxy(
  core: Core,
  address: ListenAddress,
  overridden?: ListenOverrides,
): Promise<BoundProxy> {
  const running = await listen(core.app, address).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE' ? new PortInUseError(address.host, address.port) : error;
  });
  const bound = { host: address.host, port: (running.server.address() as AddressInfo).port };
  core.setListening(bound, overridden);
  return { running, bound };
}

/** Stops accepting, drains in-flight answers for up to `drainMs`, and tells the core it no longer listens. */
export async function unbindProxy(core: Core, proxy: BoundProxy, drainMs: number): Promise<void> {
  core.setListening(undefined);
  await proxy.running.close(drainMs);
}
