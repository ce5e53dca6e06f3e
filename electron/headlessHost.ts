/**
 * What every headless command that runs the core (`serve`, `daemon`, `chat`) opens the same way: the data
 * folder, the secret store the user chose, the settings, the JSON logger on stderr, and the core itself — so all
 * of them serve the same accounts with the same settings.
 */
import { randomBytes } from 'node:crypto';
import { createLogger } from './core/logging/createLogger.ts';
import {
  connectRedisTeamState,
  openSqliteUsageLedger,
  type RedisTeamState,
  type UsageLedger,
} from './core/index.ts';
import { systemClock, type Logger, type SecretStore, type SettingsStore } from './core/ports.ts';
import { createHostCore, type HostCore } from './hostCore.ts';
import { defaultDataDir, defaultKiroAuthDir, usageLedgerFile } from './hostPaths.ts';
import { openSecretStore, openSettings } from './hostStores.ts';

/** The flags these commands share, spelled as on the command line. */
export interface HeadlessFlags {
  'data-dir'?: string;
  'secret-store'?: string;
  'kiro-auth-dir'?: string;
  'no-ide'?: boolean;
  'max-concurrency'?: string;
  region?: string;
  'log-level'?: string;
  'log-file'?: string;
}

/** For parseArgs: the shared flags' types and defaults. */
export const HEADLESS_OPTIONS = {
  'data-dir': { type: 'string' },
  'secret-store': { type: 'string', default: 'auto' },
  'kiro-auth-dir': { type: 'string' },
  'no-ide': { type: 'boolean' },
  'max-concurrency': { type: 'string' },
  region: { type: 'string' },
  'log-level': { type: 'string' },
  'log-file': { type: 'string' },
} as const;

export interface HostStores {
  secrets: SecretStore;
  settings: SettingsStore;
}

export interface HeadlessCore extends HostCore {
  logger: Logger;
  /** Open while the core runs; the host closes them after `core.dispose()`. */
  usageLedger?: UsageLedger;
  sharedState?: RedisTeamState;
}

export async function openHostStores(flags: HeadlessFlags): Promise<HostStores> {
  const dataDir = flags['data-dir'] ?? defaultDataDir();
  const secrets = await openSecretStore(flags['secret-store'] ?? 'auto', dataDir, (message) =>
    process.stderr.write(`kiro-dock: ${message}\n`),
  );
  return { secrets, settings: await openSettings(dataDir) };
}

export interface HeadlessCoreOptions {
  version: string;
  dashboardDir?: string;
  /**
   * No HTTP API will listen: use a key that is never stored or shown (unless KIRO_DOCK_API_KEY sets one), so
   * the first `serve` is still the run that generates the client key and prints it.
   */
  withoutClientKey?: boolean;
  /** Record every finished request in the data folder's usage ledger (`serve`). */
  withUsageLedger?: boolean;
  /** Share the team's keys and budgets with the other replicas on this Redis (`serve --redis-url`). */
  redisUrl?: string;
}

/** The logger and the core on the opened stores; `core.start()` is the caller's. */
export async function createHeadlessCore(
  flags: HeadlessFlags,
  stores: HostStores,
  options: HeadlessCoreOptions,
): Promise<HeadlessCore> {
  const logger = createLogger({
    level:
      flags['log-level'] ??
      process.env['KIRO_DOCK_LOG_LEVEL'] ??
      stores.settings.get<string>('logLevel') ??
      'info',
    file: flags['log-file'] ?? stores.settings.get<string>('logFile'),
  });
  const usageLedger = options.withUsageLedger
    ? openSqliteUsageLedger(usageLedgerFile(flags['data-dir'] ?? defaultDataDir()))
    : undefined;
  const sharedState = options.redisUrl
    ? await connectRedisTeamState({ url: options.redisUrl, clock: systemClock, logger })
    : undefined;
  const host = await createHostCore({
    kiroAuthDir: flags['no-ide'] ? undefined : (flags['kiro-auth-dir'] ?? defaultKiroAuthDir()),
    logger,
    version: options.version,
    settings: stores.settings,
    secrets: stores.secrets,
    region: flags.region,
    poolLimits: poolLimitsOf(flags['max-concurrency']),
    dashboardDir: options.dashboardDir,
    env: options.withoutClientKey ? withUnsharedClientKey(process.env) : undefined,
    usageLedger,
    sharedTeamState: sharedState,
  });
  return { ...host, logger, usageLedger, sharedState };
}

function withUnsharedClientKey(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env['KIRO_DOCK_API_KEY']) return env;
  return { ...env, KIRO_DOCK_API_KEY: `kd-${randomBytes(24).toString('base64url')}` };
}

function poolLimitsOf(flag: string | undefined): { maxConcurrentPerAccount: number } | undefined {
  if (flag === undefined) return undefined;
  const value = Number(flag);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--max-concurrency must be a whole number ≥ 1, got ${flag}`);
  return { maxConcurrentPerAccount: value };
}
