/**
 * Every time that comes from outside — Kiro's Retry-After headers, token lifetimes in refresh answers, expiry
 * dates in the IDE's and kiro-cli's files, quota reset dates — is checked and bounded here, before anything
 * schedules on it. A value that cannot be right (negative, not a number, centuries ahead) is treated as absent,
 * and one merely far is capped, so that no outside value can park an account for ever or wake a timer at once.
 * Settings have their own schema (config/settingsSchema.ts).
 */

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

/** A Retry-After beyond a day is a lock-out, not a throttle: the account comes back to be tried after a day. */
export const MAX_RETRY_AFTER_MS = DAY_MS;
/** Refresh answers without a lifetime: Kiro's access tokens live an hour. */
export const DEFAULT_TOKEN_LIFETIME_S = 3600;
/** Longer than any login Kiro issues (long-lived logins and API keys are counted in days or weeks). */
export const MAX_TOKEN_LIFETIME_MS = 366 * DAY_MS;
/** Quota periods are monthly; an annual plan still resets within this. */
export const MAX_RESET_AHEAD_MS = 400 * DAY_MS;

/** Milliseconds to wait, capped at MAX_RETRY_AFTER_MS; undefined for a value that is no delay at all. */
export function boundedRetryAfterMs(ms: number | undefined): number | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(Math.round(ms), MAX_RETRY_AFTER_MS);
}

/** The expiry of a token a refresh answer says lives `expiresInSeconds` (invalid → an hour), capped. */
export function tokenExpiryAfter(expiresInSeconds: unknown, now: number): number {
  const seconds =
    typeof expiresInSeconds === 'number' && Number.isFinite(expiresInSeconds) && expiresInSeconds > 0
      ? expiresInSeconds
      : DEFAULT_TOKEN_LIFETIME_S;
  return now + Math.min(Math.round(seconds * 1000), MAX_TOKEN_LIFETIME_MS);
}

/**
 * An expiry date read from a file: undefined when it is not a date (the token is then treated as expired and
 * refreshed), capped at MAX_TOKEN_LIFETIME_MS ahead. A date in the past stays: that token has expired.
 */
export function boundedTokenExpiry(expiresAt: number | undefined, now: number): number | undefined {
  if (expiresAt === undefined || !Number.isFinite(expiresAt)) return undefined;
  return Math.min(expiresAt, now + MAX_TOKEN_LIFETIME_MS);
}

/**
 * A quota reset date, or undefined when it cannot be the next reset: not ahead of now (the account would be
 * un-parked at once, get 402 again and be parked again) or further ahead than any quota period.
 */
export function boundedResetAt(resetAt: number | undefined, now: number): number | undefined {
  if (resetAt === undefined || !Number.isFinite(resetAt)) return undefined;
  return resetAt > now && resetAt - now <= MAX_RESET_AHEAD_MS ? resetAt : undefined;
}
