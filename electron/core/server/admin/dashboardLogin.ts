/**
 * How the dashboard signs in: the host mints a one-time login code (printed by `kiro-dock serve`, opened by the
 * tray), the page exchanges it once for a session token, and that token opens the admin API until the core is
 * disposed. Codes and sessions live in memory only, so a restart signs every dashboard out.
 *
 * Only digests are kept: a heap dump or a log of this object shows no usable code or token. Looking a digest up
 * in a Set is not constant time, but an attacker cannot choose the digest's bytes, so timing tells them nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../ports.ts';
import type { AdminTokenVerifier } from './adminGuard.ts';

export const LOGIN_CODE_TTL_MS = 10 * 60_000;

export interface DashboardLogin {
  /** A new one-time code (32 random bytes, base64url), valid for LOGIN_CODE_TTL_MS. */
  mint(): string;
  /**
   * Spends a code (or takes the run's admin token) and opens a session; undefined when the code is unknown,
   * used or expired.
   */
  exchange(code: string): string | undefined;
  /** Whether a Bearer token is a live session. */
  isSession: AdminTokenVerifier;
  /** Ends every session and forgets every code. */
  clear(): void;
}

export function createDashboardLogin(options: {
  clock: Clock;
  /** The run's admin token, accepted in place of a code. */
  isAdminToken: AdminTokenVerifier;
}): DashboardLogin {
  const { clock } = options;
  /** Digest → expiry (epoch ms). */
  const codes = new Map<string, number>();
  const sessions = new Set<string>();

  function forgetExpiredCodes(): void {
    const now = clock.now();
    for (const [code, expiresAt] of codes) if (expiresAt <= now) codes.delete(code);
  }

  return {
    mint() {
      forgetExpiredCodes();
      const code = randomBytes(32).toString('base64url');
      codes.set(digest(code), clock.now() + LOGIN_CODE_TTL_MS);
      return code;
    },
    exchange(code) {
      const key = digest(code);
      const expiresAt = codes.get(key);
      codes.delete(key);
      const valid = expiresAt !== undefined ? expiresAt > clock.now() : options.isAdminToken(code);
      if (!valid) return undefined;
      const token = `kds-${randomBytes(32).toString('base64url')}`;
      sessions.add(digest(token));
      return token;
    },
    isSession: (presented) => sessions.has(digest(presented)),
    clear() {
      codes.clear();
      sessions.clear();
    },
  };
}

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}
