/**
 * The Kiro IDE's login as one account: access token kept fresh from the IDE's token file, at most one refresh in
 * flight however many requests need it, a rotated refresh token written back before the new access token is
 * used (so neither Kiro Dock nor the IDE loses the login), and the file re-read before refreshing because the
 * IDE may already have done it.
 */
import { createHash } from 'node:crypto';
import type { KiroClient, KiroCredential, RefreshedToken } from '../kiro/kiroClient.ts';
import { UpstreamError } from '../kiro/upstreamError.ts';
import type { Logger } from '../ports.ts';
import { readKiroAuthFile, writeBackKiroAuthFile, type KiroAuthFileToken } from './kiroAuthFile.ts';

/** Refresh when less than this is left, so a request never starts with a token about to expire. */
const REFRESH_MARGIN_MS = 60_000;

export type AccountProblemKind = 'no_account' | 'needs_relogin' | 'refresh_failed';

export class AccountUnavailableError extends Error {
  readonly problem: AccountProblemKind;
  constructor(problem: AccountProblemKind, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'AccountUnavailableError';
    this.problem = problem;
  }
}

export interface AccountSummary {
  source: 'kiro-ide';
  authMethod: string;
  state: 'active' | 'needs_relogin';
  expiresAt: string;
}

export interface AccountCredentials {
  /** A credential whose access token is valid now (refreshing first if it is not). */
  acquire(): Promise<KiroCredential>;
  /** Kiro rejected `rejected`'s token: refresh once (unless another request already did) and return the new one. */
  recoverFromRejectedToken(rejected: KiroCredential): Promise<KiroCredential>;
  describe(): AccountSummary | undefined;
}

export interface IdeAccountOptions {
  authDir: string;
  client: KiroClient;
  logger: Logger;
  now?: () => number;
}

export function createIdeAccount(options: IdeAccountOptions): AccountCredentials {
  const now = options.now ?? Date.now;
  let token: KiroAuthFileToken | undefined;
  let needsRelogin = false;
  let refreshing: Promise<KiroAuthFileToken> | undefined;

  const credentialOf = (t: KiroAuthFileToken): KiroCredential => ({
    accessToken: t.accessToken,
    profileArn: t.profileArn,
    machineId: createHash('sha256')
      .update(`KiroDock/${t.refreshToken || t.accessToken}`)
      .digest('hex'),
  });

  async function load(): Promise<KiroAuthFileToken> {
    const onDisk = await readKiroAuthFile(options.authDir);
    if (!onDisk) {
      throw new AccountUnavailableError(
        'no_account',
        `No Kiro account found: sign in to Kiro IDE (it writes ${options.authDir}/kiro-auth-token.json).`,
      );
    }
    if (token && onDisk.refreshToken !== token.refreshToken) needsRelogin = false; // a new login
    return onDisk;
  }

  async function refresh(stale: KiroAuthFileToken): Promise<KiroAuthFileToken> {
    const latest = await load();
    // The IDE (or a previous refresh) already replaced the token we were about to refresh.
    if (latest.accessToken !== stale.accessToken && latest.expiresAtMs - now() > REFRESH_MARGIN_MS)
      return latest;
    if (needsRelogin && latest.refreshToken === stale.refreshToken) throw reloginError();
    const refreshed = await callRefresh(latest);
    const next: KiroAuthFileToken = {
      ...latest,
      accessToken: refreshed.accessToken,
      refreshToken: refreshed.refreshToken ?? latest.refreshToken,
      profileArn: refreshed.profileArn ?? latest.profileArn,
      expiresAtMs: now() + refreshed.expiresInSeconds * 1000,
    };
    // Persist first: if Kiro rotated the refresh token, the old one is already dead.
    await writeBackKiroAuthFile(options.authDir, {
      accessToken: next.accessToken,
      refreshToken: refreshed.refreshToken,
      expiresAtMs: next.expiresAtMs,
      profileArn: refreshed.profileArn,
    });
    options.logger.info(
      { authMethod: next.authMethod, rotated: Boolean(refreshed.refreshToken) },
      'token refreshed',
    );
    return next;
  }

  async function callRefresh(current: KiroAuthFileToken): Promise<RefreshedToken> {
    try {
      if (current.authMethod === 'social') {
        return await options.client.refreshSocialToken(current.refreshToken, credentialOf(current).machineId);
      }
      if (!current.clientId || !current.clientSecret) {
        throw new AccountUnavailableError(
          'needs_relogin',
          'The Kiro IDE login (IdC) has no client registration file beside it: sign in to Kiro IDE again.',
        );
      }
      return await options.client.refreshIdcToken({
        clientId: current.clientId,
        clientSecret: current.clientSecret,
        refreshToken: current.refreshToken,
        region: current.region ?? 'us-east-1',
      });
    } catch (error) {
      if (error instanceof UpstreamError && error.kind === 'refresh_rejected') {
        needsRelogin = true;
        options.logger.warn(
          { authMethod: current.authMethod },
          'refresh token rejected: Kiro IDE login needed',
        );
        throw reloginError(error);
      }
      if (error instanceof AccountUnavailableError) throw error;
      throw new AccountUnavailableError(
        'refresh_failed',
        `Could not refresh the Kiro token: ${(error as Error).message}`,
        error,
      );
    }
  }

  function singleFlightRefresh(stale: KiroAuthFileToken): Promise<KiroAuthFileToken> {
    refreshing ??= refresh(stale)
      .then((next) => (token = next))
      .finally(() => (refreshing = undefined));
    return refreshing;
  }

  async function acquire(): Promise<KiroCredential> {
    if (refreshing) return credentialOf(await refreshing);
    token ??= await load();
    if (token.expiresAtMs - now() > REFRESH_MARGIN_MS) return credentialOf(token);
    return credentialOf(await singleFlightRefresh(token));
  }

  return {
    acquire,
    async recoverFromRejectedToken(rejected) {
      if (refreshing) return credentialOf(await refreshing);
      if (token && token.accessToken !== rejected.accessToken) return credentialOf(token);
      token ??= await load();
      return credentialOf(await singleFlightRefresh({ ...token, expiresAtMs: 0 }));
    },
    describe() {
      if (!token) return undefined;
      return {
        source: 'kiro-ide',
        authMethod: token.authMethod,
        state: needsRelogin ? 'needs_relogin' : 'active',
        expiresAt: new Date(token.expiresAtMs).toISOString(),
      };
    },
  };
}

function reloginError(cause?: unknown): AccountUnavailableError {
  return new AccountUnavailableError(
    'needs_relogin',
    'Kiro rejected the refresh token: sign in to Kiro IDE again to renew the login.',
    cause,
  );
}
