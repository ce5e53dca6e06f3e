/**
 * The two refresh endpoints (docs/upstream/auth.md §2–3): Kiro's social `/refreshToken` and AWS SSO OIDC
 * CreateToken (`/token`) for IdC logins, with their real error shapes. Like the real service, the old refresh
 * token dies the moment the request is handled, before the answer has reached the client.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccountStore } from './accountStore.ts';
import type { EmulatorRequestLogEntry, EmulatorState, RefreshEvent } from './emulatorState.ts';
import { sendJsonReply, type JsonReply } from './jsonReply.ts';
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

/** Rotates (or rejects), waits `refreshAnswerDelayMs`, answers; the refresh listeners hear of both moments. */
export async function answerRefresh(
  state: EmulatorState,
  entry: EmulatorRequestLogEntry,
  response: ServerResponse,
): Promise<void> {
  state.refreshCount += 1;
  const operation = entry.operation === 'createToken' ? 'createToken' : 'refreshToken';
  const reply =
    operation === 'createToken'
      ? idcTokenReply(state.accounts, entry.body)
      : socialRefreshReply(state.accounts, entry.body);
  const issued = isJsonObject(reply.body) ? reply.body['refreshToken'] : undefined;
  const tell = (phase: RefreshEvent['phase']) => {
    const answer: RefreshEvent = {
      phase,
      operation,
      status: reply.status,
      issuedRefreshToken: reply.status === 200 && typeof issued === 'string' ? issued : undefined,
      at: performance.now(),
    };
    for (const listener of [...state.refreshListeners]) listener(answer);
  };
  tell('handled');
  const delayMs = state.settings.refreshAnswerDelayMs;
  if (delayMs > 0) await sleep(delayMs, undefined, { signal: state.closing });
  sendJsonReply(response, entry, reply);
  tell('answered');
}
