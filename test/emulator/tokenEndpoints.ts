/**
 * The two refresh endpoints (kiro-protocol.md §6.2, §6.3): Kiro's social `/refreshToken` and AWS SSO OIDC
 * CreateToken (`/token`) for IdC logins, with their real error shapes.
 */
import type { AccountStore } from './accountStore.ts';
import type { JsonReply } from './jsonReply.ts';
import { isJsonObject } from './strictToolRules.ts';

const INVALID_SOCIAL_GRANT = { error: 'invalid_grant', message: 'Invalid refresh token provided' };
const INVALID_IDC_GRANT = { error: 'invalid_grant', error_description: 'Invalid refresh token provided' };

export function socialRefreshReply(accounts: AccountStore, body: unknown): JsonReply {
  const issued = accounts.refreshSocial(isJsonObject(body) ? body['refreshToken'] : undefined);
  if (!issued) return { status: 400, body: INVALID_SOCIAL_GRANT };
  return { status: 200, body: issued };
}

export function idcTokenReply(accounts: AccountStore, body: unknown): JsonReply {
  const input = isJsonObject(body) ? body : {};
  if (input['grantType'] !== 'refresh_token') {
    return {
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: 'Unsupported grant type' },
    };
  }
  const outcome = accounts.refreshIdc(input['clientId'], input['clientSecret'], input['refreshToken']);
  if (outcome === 'invalid_client') return { status: 400, body: { error: 'invalid_client' } };
  if (outcome === 'invalid_grant') return { status: 400, body: INVALID_IDC_GRANT };
  return {
    status: 200,
    body: {
      accessToken: outcome.accessToken,
      tokenType: 'Bearer',
      expiresIn: outcome.expiresIn,
      refreshToken: outcome.refreshToken,
    },
  };
}
