/**
 * What every headless command that runs the core (`serve`, `daemon`, `chat`) opens the same way: the data
 * folder, the secret store the user chose, the settings, the JSON logger on stderr, and the core itself — so all
 * of them serve the same accounts with the same settings.
 */
import { randomBytes } from 'node:crypto';
import {
  connectRedisTeamState,
  createLogger,
  openSqliteUsageLedger,
  type RedisTeamState,
  type UsageLedger,
} from './core/index.ts';
import { systemClock, type Logger, type SecretStore, type SettingsStore } from './core/ports.ts';
import { createHostCore, type HostCore } from './hostCore.ts';
import { defaultDataDir, defaultKiroAuthDir, usageLedgerFile } from './hostPaths.ts';
import { UsageError } from './cli/usageError.ts';
import { openChosenSecretStore, openSettings, SECRET_STORE_CHOICES } from './hostStores.ts';

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
  'secret-store': { type: 'string' },
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
  const settings = await openSettings(dataDir);
  const tell = (message: string) => process.stderr.write(`kiro-dock: ${message}\n`);
  const secrets = await openChosenSecretStore(
    flags['secret-store'],
    { dataDir, settings },
    { remembered: tell, noKeychain: tell },
  );
  return { secrets, settings };
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * The shared flags' values, checked before any store is opened: a typo is the first thing the user reads, not
 * a keychain warning. `usage` is the command's own.
 */
export function checkHeadlessFlags(flags: HeadlessFlags, usage: string): void {
  const store = flags['secret-store'];
  if (store !== undefined && !(SECRET_STORE_CHOICES as readonly string[]).includes(store))
    throw new UsageError(
      `--secret-store must be one of ${SECRET_STORE_CHOICES.join(', ')}, not ${JSON.stringify(store)}.`,
      'For a 0600 file in the data folder, use --secret-store file.',
      usage,
    );
  const level = flags['log-level'];
  if (level !== undefined && !LOG_LEVELS.includes(level))
    throw new UsageError(
      `--log-level must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(level)}.`,
      'The default is info.',
      usage,
    );
  const concurrency = flags['max-concurrency'];
  if (concurrency !== undefined && poolLimitsOf(concurrency) === undefined)
    throw new UsageError(
      `--max-concurrency must be a whole number of 1 or more, not ${JSON.stringify(concurrency)}.`,
      'The default is 8.',
      usage,
    );
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
  /** With `redisUrl`: share the Kiro accounts as well, their secrets sealed with this key (teamSecretKey.ts). */
  secretKey?: Buffer;
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
    ? await connectRedisTeamState({
        url: options.redisUrl,
        clock: systemClock,
        logger,
        secretKey: options.secretKey,
      })
    : undefined;
  const sharedAccounts = sharedState?.accounts;
  if (sharedState) tellWhatReplicasShare(logger, sharedAccounts !== undefined, flags);
  // A Kiro IDE login belongs to one machine: imported into the shared pool, every other replica would find it
  // signed out (no such file there) and mark it for a new login, or overwrite it with its own IDE's.
  const importIde = !flags['no-ide'] && !sharedAccounts;
  const host = await createHostCore({
    kiroAuthDir: importIde ? (flags['kiro-auth-dir'] ?? defaultKiroAuthDir()) : undefined,
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
    sharedAccounts,
  });
  return { ...host, logger, usageLedger, sharedState };
}

function tellWhatReplicasShare(logger: Logger, accountsShared: boolean, flags: HeadlessFlags): void {
  if (accountsShared) {
    logger.info({}, 'redis: client keys, budgets and the Kiro accounts are shared with the other replicas');
    if (!flags['no-ide'] && flags['kiro-auth-dir'] !== undefined) {
      process.stderr.write(
        'kiro-dock: the Kiro IDE login is not imported while the accounts are shared on Redis; add accounts ' +
          'from the dashboard of any replica, or with kiro-dock accounts add … --redis-url.\n',
      );
    }
    return;
  }
  const line =
    'the Kiro accounts stay local to this replica: to share them on Redis too, give every replica the same ' +
    'KIRO_DOCK_SECRET_KEY (or --secret-key-file); `openssl rand -base64 32` makes one.';
  logger.warn({}, `redis: ${line}`);
  process.stderr.write(`kiro-dock: ${line}\n`);
}

function withUnsharedClientKey(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env['KIRO_DOCK_API_KEY']) return env;
  return { ...env, KIRO_DOCK_API_KEY: `kd-${randomBytes(24).toString('base64url')}` };
}

/** undefined: no flag, or not a whole number ≥ 1 (checkHeadlessFlags has refused those). */
function poolLimitsOf(flag: string | undefined): { maxConcurrentPerAccount: number } | undefined {
  if (flag === undefined || !/^\d+$/.test(flag.trim())) return undefined;
  const value = Number(flag);
  return value >= 1 ? { maxConcurrentPerAccount: value } : undefined;
}
