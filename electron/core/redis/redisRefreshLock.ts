/**
 * The refresh lock replicas share (RefreshLock in ports.ts): `SET kiro-dock:refresh-lock:<account> <token> NX PX
 * 15000`, renewed every 5 s while the refresh runs, released by a compare-and-delete so a holder whose lock
 * expired never deletes the next holder's. A replica killed mid-refresh holds it 15 s at most. The refresh
 * writes the rotated token to the shared secrets before it returns, that is before the release: the next holder
 * reads it there (accountRefresh.ts) instead of refreshing again.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createInProcessRefreshLock } from '../accounts/inProcessRefreshLock.ts';
import type { Clock, Logger, RefreshLock, Timer } from '../ports.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export const REFRESH_LOCK_TTL_MS = 15_000;
const RENEW_EVERY_MS = 5_000;
/** Longer than the TTL: a lock left by a killed replica has expired by then. */
const WAIT_LIMIT_MS = 20_000;
const RETRY_EVERY_MS = 50;

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export function lockKeyOf(accountId: string): string {
  return `kiro-dock:refresh-lock:${accountId}`;
}

export function createRedisRefreshLock(commands: Redis, clock: Clock, logger: Logger): RefreshLock {
  // This process's refreshes of one account queue here, not by polling Redis against each other.
  const local = createInProcessRefreshLock();
  const reachRedis = async <T>(accountId: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw new Error(
        `Kiro Dock cannot reach Redis to take the refresh lock of account ${accountId} (${errorMessage(error)}); it ` +
          'reconnects by itself and the refresh is retried.',
      );
    }
  };

  async function acquire(accountId: string, token: string): Promise<void> {
    const deadline = clock.monotonicNow() + WAIT_LIMIT_MS;
    for (;;) {
      const taken = await reachRedis(accountId, () =>
        commands.set(lockKeyOf(accountId), token, 'PX', REFRESH_LOCK_TTL_MS, 'NX'),
      );
      if (taken === 'OK') return;
      if (clock.monotonicNow() >= deadline) {
        throw new Error(
          `Another replica has held the refresh lock of account ${accountId} for over ${WAIT_LIMIT_MS / 1000} s; ` +
            'the refresh is retried later.',
        );
      }
      await clock.sleep(RETRY_EVERY_MS);
    }
  }

  function keepRenewing(accountId: string, token: string): { stop(): void } {
    let timer: Timer | undefined;
    const renew = () => {
      timer = clock.setTimer(() => {
        commands.eval(RENEW, 1, lockKeyOf(accountId), token, REFRESH_LOCK_TTL_MS).then(
          (renewed) => {
            if (renewed === 1) {
              if (timer) renew();
              return;
            }
            logger.warn({ account: accountId }, 'refresh lock lost while refreshing: it had expired');
          },
          (error: unknown) =>
            logger.warn({ account: accountId, error: errorMessage(error) }, 'refresh lock not renewed'),
        );
      }, RENEW_EVERY_MS);
    };
    renew();
    return {
      stop() {
        timer?.cancel();
        timer = undefined;
      },
    };
  }

  return {
    withLock(accountId, task) {
      return local.withLock(accountId, async () => {
        const token = randomBytes(16).toString('hex');
        await acquire(accountId, token);
        const renewal = keepRenewing(accountId, token);
        try {
          return await task();
        } finally {
          renewal.stop();
          // Not released (Redis went away): it expires by itself within the TTL.
          await commands
            .eval(RELEASE, 1, lockKeyOf(accountId), token)
            .catch((error: unknown) =>
              logger.warn({ account: accountId, error: errorMessage(error) }, 'refresh lock not released'),
            );
        }
      });
    },
  };
}
