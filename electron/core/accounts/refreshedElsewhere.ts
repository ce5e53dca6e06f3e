/**
 * Two processes on one data folder (a `serve` and a `daemon`, say) share each account's secrets, and Kiro rotates
 * the refresh token at every refresh. When both refresh the same account at the same moment, Kiro refuses one of
 * them: the other's refresh has just replaced the token both sent. That refusal is no dead login. The other
 * process's new tokens reach the shared store at once (its refresh journal first, then its main record), and
 * they are adopted here rather than refreshed again, which would rotate the token under the other process in
 * turn.
 */
import type { Clock } from '../ports.ts';
import type { AccountSecrets } from './accountModel.ts';
import type { AccountRepository } from './accountRepository.ts';
import type { RefreshJournalEntry } from './refreshJournal.ts';

/** How long a refused refresh waits for another process's tokens to appear before the login counts as dead. */
export const REFRESH_ELSEWHERE_WAIT_MS = 2_000;
const RECHECK_EVERY_MS = 250;

type Tokens = Pick<AccountSecrets, 'accessToken' | 'refreshToken' | 'expiresAt'>;

/**
 * Tokens another refresh produced: a refresh token other than the one this process sent, with an access token
 * that still has `minLifetimeMs` to live (an old journal left by a crash has an expired one and is not this).
 */
export function isRefreshFromElsewhere(
  tokens: Tokens | undefined,
  sentRefreshToken: string | undefined,
  now: number,
  minLifetimeMs: number,
): boolean {
  if (!tokens?.accessToken || !tokens.refreshToken || tokens.refreshToken === sentRefreshToken) return false;
  return (tokens.expiresAt ?? 0) - now >= minLifetimeMs;
}

/**
 * The secrets to use after Kiro refused `sent`'s refresh token, when another process refreshed meanwhile;
 * undefined when none appears within REFRESH_ELSEWHERE_WAIT_MS.
 */
export async function awaitRefreshElsewhere(
  deps: { repository: AccountRepository; clock: Clock },
  accountId: string,
  sent: AccountSecrets,
  minLifetimeMs: number,
): Promise<AccountSecrets | undefined> {
  const deadline = deps.clock.monotonicNow() + REFRESH_ELSEWHERE_WAIT_MS;
  for (;;) {
    const adopted = await readRefreshElsewhere(deps, accountId, sent, minLifetimeMs);
    if (adopted || deps.clock.monotonicNow() >= deadline) return adopted;
    await deps.clock.sleep(RECHECK_EVERY_MS);
  }
}

async function readRefreshElsewhere(
  deps: { repository: AccountRepository; clock: Clock },
  accountId: string,
  sent: AccountSecrets,
  minLifetimeMs: number,
): Promise<AccountSecrets | undefined> {
  const current = (await deps.repository.readSecrets(accountId)) ?? sent;
  const journal: RefreshJournalEntry | undefined = await deps.repository.journal
    .read(accountId)
    .catch(() => undefined);
  const now = deps.clock.now();
  const newer = [journal, current].find((tokens) =>
    isRefreshFromElsewhere(tokens, sent.refreshToken, now, minLifetimeMs),
  );
  return (
    newer && {
      ...current,
      accessToken: newer.accessToken,
      refreshToken: newer.refreshToken,
      expiresAt: newer.expiresAt,
    }
  );
}
