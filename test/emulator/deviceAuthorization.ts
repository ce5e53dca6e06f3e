/**
 * AWS SSO OIDC's device authorization flow as the real service runs it (docs/sign-in.md): RegisterClient
 * (`POST /client/register`), StartDeviceAuthorization (`POST /device_authorization`) and CreateToken with the
 * device-code grant (`POST /token`), which answers `authorization_pending` until a test approves the user code,
 * `slow_down` when polled faster than the interval, `expired_token` once the code's lifetime is over (or a test
 * expired it) and `access_denied` when a test denied it. Approval creates an IdC account tied to the client.
 */
import { randomBytes } from 'node:crypto';
import { newOidcClient, type AccountStore } from './accountStore.ts';
import type { JsonReply } from './jsonReply.ts';
import { isJsonObject } from './strictToolRules.ts';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** What `verificationUri` points at; `verificationUriComplete` adds `?user_code=`. */
export const DEVICE_VERIFICATION_URI = 'https://device.sso.us-east-1.amazonaws.com/';

export interface DeviceFlowSettings {
  /** Seconds the user code stays valid (the real service: 600). */
  deviceCodeTtlSeconds(): number;
  /** Seconds between polls the client is told to keep (the real service: 1). */
  pollIntervalSeconds(): number;
}

/** The user's answer in the browser, or `slow-down`: the service asks the client to poll more slowly. */
export type DeviceDecision = 'approved' | 'denied' | 'expired' | 'slow-down';

export interface PendingDeviceAuthorization {
  userCode: string;
  startUrl: string;
  clientId: string;
  /** Calls to CreateToken so far. */
  polls: number;
  /** Polls answered `slow_down` (they came sooner than the interval). */
  slowDowns: number;
  state: 'pending' | 'approved' | 'denied' | 'expired' | 'issued';
  /** The emulator account created once the tokens were issued. */
  accountId?: string;
}

interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  region: string;
}

interface DeviceAuthorization extends PendingDeviceAuthorization {
  deviceCode: string;
  expiresAtMs: number;
  lastPollMs?: number;
  intervalMs: number;
  /** The next poll gets `slow_down` whatever its timing, as under load. */
  slowDownNext?: boolean;
}

const oidcError = (status: number, error: string, type: string, description?: string): JsonReply => ({
  status,
  body: { error, error_description: description ?? null },
  headers: { 'x-amzn-errortype': type },
});

export class DeviceFlow {
  private readonly clients = new Map<string, RegisteredClient>();
  private readonly byDeviceCode = new Map<string, DeviceAuthorization>();

  constructor(
    private readonly accounts: AccountStore,
    private readonly settings: DeviceFlowSettings,
    private readonly now: () => number,
  ) {}

  registerClient(body: unknown): JsonReply {
    const input = isJsonObject(body) ? body : {};
    const scopes = input['scopes'];
    if (typeof input['clientName'] !== 'string' || input['clientType'] !== 'public')
      return oidcError(400, 'invalid_request', 'InvalidRequestException', 'clientName and clientType public');
    if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string')))
      return oidcError(400, 'invalid_scope', 'InvalidScopeException');
    const client = { ...newOidcClient(), region: 'us-east-1' };
    this.clients.set(client.clientId, client);
    const issuedAt = Math.floor(this.now() / 1000);
    return {
      status: 200,
      body: {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        clientIdIssuedAt: issuedAt,
        clientSecretExpiresAt: issuedAt + 90 * 86400,
      },
    };
  }

  startDeviceAuthorization(body: unknown): JsonReply {
    const input = isJsonObject(body) ? body : {};
    const client = this.clientOf(input);
    if (!client) return oidcError(401, 'invalid_client', 'InvalidClientException');
    const startUrl = input['startUrl'];
    if (typeof startUrl !== 'string' || !/^https:\/\/\S+$/.test(startUrl))
      return oidcError(400, 'invalid_request', 'InvalidRequestException', 'startUrl must be an https URL');
    const userCode = `${randomLetters(4)}-${randomLetters(4)}`;
    const authorization: DeviceAuthorization = {
      deviceCode: randomBytes(32).toString('base64url'),
      userCode,
      startUrl,
      clientId: client.clientId,
      polls: 0,
      slowDowns: 0,
      state: 'pending',
      expiresAtMs: this.now() + this.settings.deviceCodeTtlSeconds() * 1000,
      intervalMs: this.settings.pollIntervalSeconds() * 1000,
    };
    this.byDeviceCode.set(authorization.deviceCode, authorization);
    return {
      status: 200,
      body: {
        deviceCode: authorization.deviceCode,
        userCode,
        verificationUri: DEVICE_VERIFICATION_URI,
        verificationUriComplete: `${DEVICE_VERIFICATION_URI}?user_code=${userCode}`,
        expiresIn: this.settings.deviceCodeTtlSeconds(),
        interval: this.settings.pollIntervalSeconds(),
      },
    };
  }

  /** CreateToken with the device-code grant. */
  createToken(body: unknown): JsonReply {
    const input = isJsonObject(body) ? body : {};
    const client = this.clientOf(input);
    if (!client) return oidcError(401, 'invalid_client', 'InvalidClientException');
    const found = this.byDeviceCode.get(String(input['deviceCode']));
    if (!found || found.clientId !== client.clientId)
      return oidcError(400, 'invalid_grant', 'InvalidGrantException', 'Invalid device code provided');
    found.polls += 1;
    const now = this.now();
    if (found.state === 'pending' && now >= found.expiresAtMs) found.state = 'expired';
    if (found.state === 'expired') return oidcError(400, 'expired_token', 'ExpiredTokenException');
    if (found.state === 'denied') return oidcError(400, 'access_denied', 'AccessDeniedException');
    if (found.state === 'issued')
      return oidcError(400, 'invalid_grant', 'InvalidGrantException', 'Device code already used');
    const tooSoon = found.lastPollMs !== undefined && now - found.lastPollMs < found.intervalMs;
    found.lastPollMs = now;
    if (tooSoon || found.slowDownNext) {
      found.slowDownNext = false;
      // RFC 8628 §3.5: the client must add 5 s to its interval from now on.
      found.intervalMs += 5000;
      found.slowDowns += 1;
      return oidcError(400, 'slow_down', 'SlowDownException');
    }
    if (found.state === 'pending')
      return oidcError(400, 'authorization_pending', 'AuthorizationPendingException');
    found.state = 'issued';
    const issued = this.accounts.signInIdc(client);
    found.accountId = issued.accountId;
    return {
      status: 200,
      body: {
        accessToken: issued.accessToken,
        tokenType: 'Bearer',
        expiresIn: issued.expiresIn,
        refreshToken: issued.refreshToken,
      },
    };
  }

  /** Every device authorization started so far, newest last. */
  list(): PendingDeviceAuthorization[] {
    return [...this.byDeviceCode.values()].map(
      ({ userCode, startUrl, clientId, polls, slowDowns, state, accountId }) => ({
        userCode,
        startUrl,
        clientId,
        polls,
        slowDowns,
        state,
        accountId,
      }),
    );
  }

  /** What the user does in the browser: approve, deny, or let the code run out. */
  decide(userCode: string, decision: DeviceDecision): void {
    const found = [...this.byDeviceCode.values()].find((entry) => entry.userCode === userCode);
    if (!found) throw new Error(`No device authorization with the user code ${userCode}`);
    if (found.state !== 'pending') throw new Error(`Device authorization ${userCode} is ${found.state}`);
    if (decision === 'slow-down') found.slowDownNext = true;
    else found.state = decision;
  }

  private clientOf(input: Record<string, unknown>): RegisteredClient | undefined {
    const client = this.clients.get(String(input['clientId']));
    return client && client.clientSecret === input['clientSecret'] ? client : undefined;
  }
}

function randomLetters(count: number): string {
  const alphabet = 'BCDFGHJKLMNPQRSTVWXZ';
  return [...randomBytes(count)].map((byte) => alphabet[byte % alphabet.length]).join('');
}
