/**
 * `kiro-dock accounts … --redis-url` (or KIRO_DOCK_REDIS_URL with the team's secret key): the accounts the
 * replicas share on Redis, worked on from the command line as `serve` works on them: records and states in
 * Redis, secrets sealed with the team's secret key, refreshes under the replicas' lock. A running replica picks
 * the change up within a second.
 */
import { connectRedisTeamState, createAccountRepository, type AccountRepository } from './core/index.ts';
import { systemClock, type Logger, type RefreshLock } from './core/ports.ts';
import { UsageError } from './cli/usageError.ts';
import { readTeamSecretKey } from './teamSecretKey.ts';

export interface SharedAccountFlags {
  'redis-url'?: string;
  'secret-key-file'?: string;
}

export interface SharedAccountRepository {
  repository: AccountRepository;
  refreshLock: RefreshLock;
  /** Waits for the changes made to reach Redis, then disconnects. */
  close(): Promise<void>;
}

const QUIET: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => QUIET };

/**
 * undefined: the accounts of the data folder (no Redis, or KIRO_DOCK_REDIS_URL alone, as `serve` keeps them
 * then). An explicit --redis-url without the secret key is a usage error: the accounts there cannot be read.
 */
export async function openSharedAccountRepository(
  flags: SharedAccountFlags,
  env: NodeJS.ProcessEnv,
  usage: string,
): Promise<SharedAccountRepository | undefined> {
  const redisUrl = flags['redis-url'] ?? (env['KIRO_DOCK_REDIS_URL'] || undefined);
  const secretKey = readTeamSecretKey(flags, redisUrl, env, usage);
  if (!redisUrl) return undefined;
  if (!secretKey) {
    if (flags['redis-url'] === undefined) return undefined;
    throw new UsageError(
      'The accounts shared on Redis need the team secret key.',
      'Set KIRO_DOCK_SECRET_KEY (or --secret-key-file PATH) to the key the replicas use.',
      usage,
    );
  }
  const shared = await connectRedisTeamState({ url: redisUrl, clock: systemClock, logger: QUIET, secretKey });
  const accounts = shared.accounts!;
  return {
    repository: createAccountRepository({
      settings: accounts.settings,
      secrets: accounts.secrets,
      clock: systemClock,
    }),
    refreshLock: accounts.refreshLock,
    close: () => shared.close(),
  };
}
