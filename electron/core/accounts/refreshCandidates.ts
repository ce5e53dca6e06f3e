/**
 * Which refresh tokens a refresh tries, newest first. Normally only the stored one. When Kiro rejects it
 * (invalid_grant), the main record may hold a token that was already replaced (a crash between a refresh and
 * its bookkeeping), while the refresh journal or the IDE's file still hold the live one: each of those is
 * tried before the account is declared in need of a new login. Every token is tried once per refresh: a dead
 * token stays dead, and presenting rotated tokens again and again only looks like token theft to the server.
 */

export type RefreshTokenSource = 'stored' | 'journal' | 'journal-previous' | 'ide-file';

export interface RefreshCandidate {
  source: RefreshTokenSource;
  refreshToken: string;
}

/** Newest first: the main record, the journal's answer, the token that answer replaced, the IDE's file. */
const NEWEST_FIRST: readonly RefreshTokenSource[] = ['stored', 'journal', 'journal-previous', 'ide-file'];

export function orderRefreshCandidates(
  tokens: Partial<Record<RefreshTokenSource, string | undefined>>,
): RefreshCandidate[] {
  const seen = new Set<string>();
  const candidates: RefreshCandidate[] = [];
  for (const source of NEWEST_FIRST) {
    const refreshToken = tokens[source];
    if (!refreshToken || seen.has(refreshToken)) continue;
    seen.add(refreshToken);
    candidates.push({ source, refreshToken });
  }
  return candidates;
}

export interface CandidateRefreshOptions<T> {
  stored: string | undefined;
  /** The other tokens; looked up only once the stored one was rejected (or is missing). */
  fallbacks(): Promise<Partial<Record<Exclude<RefreshTokenSource, 'stored'>, string | undefined>>>;
  attempt(refreshToken: string): Promise<T>;
  /** Kiro said the token is dead (invalid_grant); anything else ends the refresh as it is. */
  isRejection(error: unknown): boolean;
  /** No token anywhere. */
  noToken(): Error;
  onRejected?(source: RefreshTokenSource): void;
}

/**
 * Tries the stored token, then every other distinct token once, newest first, up to the first that works.
 * A failure that is not a rejection (network, 5xx) is thrown at once: the scheduler retries later. When every
 * token was rejected, the first rejection is thrown.
 */
export async function refreshWithCandidates<T>(
  options: CandidateRefreshOptions<T>,
): Promise<{ result: T; candidate: RefreshCandidate }> {
  let firstRejection: unknown;
  const tried = new Set<string>();
  const tryOne = async (candidate: RefreshCandidate) => {
    tried.add(candidate.refreshToken);
    try {
      return { result: await options.attempt(candidate.refreshToken), candidate };
    } catch (error) {
      if (!options.isRejection(error)) throw error;
      firstRejection ??= error;
      options.onRejected?.(candidate.source);
      return undefined;
    }
  };
  if (options.stored) {
    const done = await tryOne({ source: 'stored', refreshToken: options.stored });
    if (done) return done;
  }
  const others = orderRefreshCandidates({ stored: options.stored, ...(await options.fallbacks()) });
  for (const candidate of others.filter((c) => !tried.has(c.refreshToken))) {
    const done = await tryOne(candidate);
    if (done) return done;
  }
  throw tried.size === 0 ? options.noToken() : firstRejection;
}
