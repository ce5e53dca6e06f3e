/**
 * The emulator's accounts and the tokens it issued: social (GitHub/Google) and IdC (Builder ID / enterprise)
 * logins, access tokens with an expiry, refresh tokens that rotate on use, and per-account usage.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';

/** Every social login shares this profile ARN (docs/upstream/endpoints.md §2). */
export const SOCIAL_PROFILE_ARN = 'arn:aws:codewhisperer:us-east-1:699475941385:profile/EHGA3GRVQMUK';
export const BUILDER_ID_PROFILE_ARN = 'arn:aws:codewhisperer:us-east-1:638616132270:profile/AAAACCCCXXXX';
export const CREDIT_LIMIT = 1000;

export interface AccountCredentials {
  accountId: string;
  refreshToken: string;
  accessToken: string;
  /** ISO 8601 with Z, as the IDE stores it. */
  expiresAt: string;
  profileArn: string;
}

export interface IdcAccountCredentials extends AccountCredentials {
  clientId: string;
  clientSecret: string;
  region: string;
}

export interface AccountUsage {
  requestCount: number;
  credits: number;
  creditLimit: number;
}

/** What a call presents: `Authorization: Bearer …`, and `tokentype: API_KEY` for a Kiro API key. */
export interface BearerCredential {
  authorization: string | undefined;
  tokenType?: string | string[];
}

/** The bearer credential of a logged request, as its headers carried it. */
/**
 * An OIDC client as RegisterClient hands one out. The secret is a JWT (`eyJ…`), as AWS's are; neither starts
 * with `-`, so a test that passes them as separate command-line arguments is never read as an option by chance.
 */
export function newOidcClient(): { clientId: string; clientSecret: string } {
  return {
    clientId: `c${randomBytes(16).toString('base64url')}`,
    clientSecret: `eyJ${randomBytes(64).toString('base64url')}`,
  };
}

export function bearerOf(headers: IncomingHttpHeaders): BearerCredential {
  return { authorization: headers.authorization, tokenType: headers['tokentype'] };
}

export interface EmulatorAccount {
  id: string;
  kind: 'social' | 'idc' | 'api_key';
  email: string;
  userId: string;
  profileArn: string;
  refreshToken: string;
  client?: { clientId: string; clientSecret: string; region: string };
  requestCount: number;
  credits: number;
  /** Credits per month; once used up, chat requests get 402 MONTHLY_REQUEST_COUNT. */
  creditLimit: number;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  profileArn: string;
  expiresIn: number;
}

export interface AccountStoreSettings {
  accessTokenTtlSeconds(): number;
  rotateRefreshTokens(): boolean;
}

export type IdcRefreshOutcome = IssuedTokens | 'invalid_client' | 'invalid_grant';

export class AccountStore {
  private readonly accounts = new Map<string, EmulatorAccount>();
  private readonly accessTokens = new Map<string, { accountId: string; expiresAtMs: number }>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly apiKeys = new Map<string, string>();
  /** Every token ever issued, revoked or not: what must never appear in a client's logs. */
  private readonly everIssued = new Set<string>();

  private readonly settings: AccountStoreSettings;
  private readonly now: () => number;

  constructor(settings: AccountStoreSettings, now: () => number = Date.now) {
    this.settings = settings;
    this.now = now;
  }

  createSocialAccount(options: { expired?: boolean } = {}): AccountCredentials {
    return this.createAccount('social', options.expired ?? false);
  }

  createIdcAccount(options: { expired?: boolean; region?: string } = {}): IdcAccountCredentials {
    const client = { ...newOidcClient(), region: options.region ?? 'us-east-1' };
    return { ...this.createAccount('idc', options.expired ?? false, client), ...client };
  }

  /** A new IdC account signed in through the device flow with `client` (a registered OIDC client). */
  signInIdc(client: {
    clientId: string;
    clientSecret: string;
    region: string;
  }): IssuedTokens & { accountId: string } {
    const created = this.createAccount('idc', false, client);
    return { ...created, expiresIn: this.settings.accessTokenTtlSeconds() };
  }

  /** A new social account signed in through Kiro's PKCE login. */
  signInSocial(): IssuedTokens & { accountId: string } {
    const created = this.createAccount('social', false);
    return { ...created, expiresIn: this.settings.accessTokenTtlSeconds() };
  }

  /**
   * A Kiro API key account: the key is its bearer token for good (nothing to refresh), accepted only with
   * `tokentype: API_KEY`.
   */
  createApiKeyAccount(): { accountId: string; apiKey: string } {
    const { accountId } = this.createAccount('social', false);
    const account = this.account(accountId);
    account.kind = 'api_key';
    this.refreshTokens.delete(account.refreshToken);
    const apiKey = `ksk_${randomBytes(40).toString('base64url')}`;
    this.apiKeys.set(apiKey, accountId);
    this.everIssued.add(apiKey);
    return { accountId, apiKey };
  }

  /** The account behind the bearer token, if this emulator issued it and it has not expired. */
  authenticate(credential: BearerCredential): EmulatorAccount | undefined {
    const token = /^Bearer (\S+)$/i.exec(credential.authorization ?? '')?.[1];
    if (token !== undefined && this.apiKeys.has(token))
      return credential.tokenType === 'API_KEY' ? this.accounts.get(this.apiKeys.get(token)!) : undefined;
    const issued = token === undefined ? undefined : this.accessTokens.get(token);
    if (!issued || issued.expiresAtMs <= this.now()) return undefined;
    return this.accounts.get(issued.accountId);
  }

  refreshSocial(refreshToken: unknown): IssuedTokens | undefined {
    const account = this.accountOfRefreshToken(refreshToken);
    return account?.kind === 'social' ? this.refresh(account) : undefined;
  }

  refreshIdc(clientId: unknown, clientSecret: unknown, refreshToken: unknown): IdcRefreshOutcome {
    const owner = [...this.accounts.values()].find(
      (account) => account.client?.clientId === clientId && account.client?.clientSecret === clientSecret,
    );
    if (!owner) return 'invalid_client';
    return this.accountOfRefreshToken(refreshToken) === owner ? this.refresh(owner) : 'invalid_grant';
  }

  expireAccessTokens(): void {
    const expired = this.now() - 1;
    for (const issued of this.accessTokens.values())
      issued.expiresAtMs = Math.min(issued.expiresAtMs, expired);
  }

  issuedTokens(): string[] {
    return [...this.everIssued];
  }

  /** The refresh token that works for the account now (refreshes rotate it). */
  currentRefreshToken(accountId: string): string {
    return this.account(accountId).refreshToken;
  }

  revokeRefreshToken(refreshToken: string): void {
    this.refreshTokens.delete(refreshToken);
  }

  /** As deleting the key in Kiro's console does: every later call with it is refused. */
  revokeApiKey(apiKey: string): void {
    this.apiKeys.delete(apiKey);
  }

  /** Sets an account's monthly credit limit (and optionally the credits already used). */
  setCredits(accountId: string, limit: number, used?: number): void {
    const account = this.account(accountId);
    account.creditLimit = limit;
    if (used !== undefined) account.credits = used;
  }

  isOutOfCredits(accountId: string): boolean {
    const account = this.account(accountId);
    return account.credits >= account.creditLimit;
  }

  recordRequest(accountId: string, credits: number): void {
    const account = this.account(accountId);
    account.requestCount += 1;
    account.credits = Math.round((account.credits + credits) * 10_000) / 10_000;
  }

  account(accountId: string): EmulatorAccount {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`No emulator account ${accountId}`);
    return account;
  }

  usage(accountId: string): AccountUsage {
    const account = this.account(accountId);
    return { requestCount: account.requestCount, credits: account.credits, creditLimit: account.creditLimit };
  }

  private createAccount(
    kind: EmulatorAccount['kind'],
    expired: boolean,
    client?: EmulatorAccount['client'],
  ): AccountCredentials {
    const id = `acct-${randomUUID()}`;
    const account: EmulatorAccount = {
      id,
      kind,
      email: `${id}@example.com`,
      userId: `d-${randomBytes(5).toString('hex')}.${randomUUID()}`,
      profileArn: kind === 'social' ? SOCIAL_PROFILE_ARN : BUILDER_ID_PROFILE_ARN,
      refreshToken: '',
      client,
      requestCount: 0,
      credits: 0,
      creditLimit: CREDIT_LIMIT,
    };
    this.accounts.set(id, account);
    const refreshToken = this.issueRefreshToken(account);
    const { accessToken, expiresAtMs } = this.issueAccessToken(id, expired);
    const expiresAt = new Date(expiresAtMs).toISOString();
    return { accountId: id, refreshToken, accessToken, expiresAt, profileArn: account.profileArn };
  }

  /** New access token, and a new refresh token (the old one dies) when rotation is on. */
  private refresh(account: EmulatorAccount): IssuedTokens {
    if (this.settings.rotateRefreshTokens()) {
      this.refreshTokens.delete(account.refreshToken);
      this.issueRefreshToken(account);
    }
    const { accessToken } = this.issueAccessToken(account.id, false);
    return {
      accessToken,
      refreshToken: account.refreshToken,
      profileArn: account.profileArn,
      expiresIn: this.settings.accessTokenTtlSeconds(),
    };
  }

  private issueAccessToken(
    accountId: string,
    expired: boolean,
  ): { accessToken: string; expiresAtMs: number } {
    const accessToken = `aoa${randomBytes(48).toString('base64url')}`;
    const expiresAtMs = expired
      ? this.now() - 60_000
      : this.now() + this.settings.accessTokenTtlSeconds() * 1000;
    this.accessTokens.set(accessToken, { accountId, expiresAtMs });
    this.everIssued.add(accessToken);
    return { accessToken, expiresAtMs };
  }

  private issueRefreshToken(account: EmulatorAccount): string {
    // Longer than 100 characters: some clients reject shorter ones as truncated copies.
    account.refreshToken = `aor${randomBytes(96).toString('base64url')}`;
    this.refreshTokens.set(account.refreshToken, account.id);
    this.everIssued.add(account.refreshToken);
    return account.refreshToken;
  }

  private accountOfRefreshToken(refreshToken: unknown): EmulatorAccount | undefined {
    const id = typeof refreshToken === 'string' ? this.refreshTokens.get(refreshToken) : undefined;
    return id === undefined ? undefined : this.accounts.get(id);
  }
}
