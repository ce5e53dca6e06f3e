/**
 * What Kiro Dock knows about an account. The record (metadata) lives in the settings store; the secrets live
 * only in the SecretStore, one entry per account, never in settings, logs or the admin API.
 */

import type {
  AccountSourceView,
  AccountStateView,
  AuthMethodView,
  QuotaView,
} from '../../../shared/adminApi.ts';

// Sources, auth methods and states are shown as they are by the dashboard: one definition, in the contract.
export type AccountSource = AccountSourceView;

export type AuthMethod = AuthMethodView;

/** Persisted, non-secret. */
export interface AccountRecord {
  /** Stable id: `acc_` + 12 hex characters. */
  id: string;
  label: string;
  source: AccountSource;
  authMethod: AuthMethod;
  /** Github, Google, BuilderId, Enterprise, ExternalIdp… */
  provider?: string;
  /** Kiro API region (chat host). */
  region: string;
  /** Region of the OIDC host for IdC refreshes. */
  authRegion?: string;
  profileArn?: string;
  /** Turned off by the user: never selected, never refreshed. */
  disabled: boolean;
  /** For IDE / kiro-cli accounts: the file the login came from (refreshes are written back there). */
  sourcePath?: string;
  email?: string;
  addedAt: number;
  /** Signed in from Kiro Dock: how, so that "Sign in again" runs the same flow. */
  signIn?: SignInOrigin;
  /** The chat host a probe found accepts this login (docs/chat-hosts.md). */
  chatHost?: { family: 'q' | 'runtime'; probedAt: number };
}

/** The sign-in flow an account came from (docs/sign-in.md). */
export interface SignInOrigin {
  method: 'builder-id' | 'idc' | 'social';
  /** IAM Identity Center start URL (idc only). */
  startUrl?: string;
  /** OIDC region (builder-id, idc). */
  region?: string;
  /** Identity provider (social only). */
  provider?: 'google' | 'github';
}

/** The secret part, stored as one JSON entry in the SecretStore under `account:<id>`. */
export interface AccountSecrets {
  accessToken?: string;
  /** Epoch ms when accessToken expires. */
  expiresAt?: number;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  /** `ksk_…` Kiro API key (no refresh). */
  apiKey?: string;
}

/** Why an account is or is not in the pool right now (not persisted except needs_relogin/suspended). */
export type AccountState = AccountStateView;

export type AccountStateKind = AccountState['kind'];

/**
 * Quota as read from getUsageLimits, normalised (docs/upstream/endpoints.md §3): the dashboard's view of it without the
 * forecast (which needs several readings), plus the account's email when Kiro reports it.
 */
export type QuotaSnapshot = Omit<QuotaView, 'forecastExhaustedAt'> & { email?: string };

export const SECRET_KEY_PREFIX = 'account:';

export function secretKeyFor(accountId: string): string {
  return `${SECRET_KEY_PREFIX}${accountId}`;
}

/**
 * The states kept with the account (settings.json, or Redis for replicas): a login that needs a new sign-in, a
 * suspension, and an account out of credits until its reset. A restart or another replica then knows them
 * without asking Kiro again; a cooldown of seconds is not worth a write.
 */
export function isLastingState(state: AccountState): boolean {
  return state.kind === 'needs_relogin' || state.kind === 'suspended' || state.kind === 'exhausted';
}
