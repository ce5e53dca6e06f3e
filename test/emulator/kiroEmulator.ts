/**
 * A standalone HTTP server that behaves like the Kiro upstream (docs/upstream): the assistant stream in the
 * binary event-stream format, token refresh, usage limits and the model list, with scripted answers, injected
 * faults and a strict mode that rejects what the real service rejects. Plain node:http, for exact control of
 * every write and socket.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  AccountStore,
  type AccountCredentials,
  type AccountUsage,
  type IdcAccountCredentials,
} from './accountStore.ts';
import {
  DEFAULT_SETTINGS,
  type EmulatorOptions,
  type EmulatorRequestLogEntry,
  type EmulatorSettings,
  type EmulatorState,
  type RefreshEvent,
} from './emulatorState.ts';
import { createServerFault, type FaultSpec } from './faults.ts';
import { createRequestListener } from './requestRouter.ts';
import { DeviceFlow, type DeviceDecision, type PendingDeviceAuthorization } from './deviceAuthorization.ts';
import { SocialLogin } from './socialLogin.ts';

export { EMULATOR_MODEL_IDS } from './modelCatalogue.ts';
export { findStrictViolation } from './strictValidator.ts';
export { FAULT_KINDS, type FaultKind, type FaultSpec } from './faults.ts';
export type { AccountCredentials, AccountUsage, IdcAccountCredentials } from './accountStore.ts';
export type { DeviceDecision, PendingDeviceAuthorization } from './deviceAuthorization.ts';
export type {
  EmulatorOptions,
  EmulatorRequestLogEntry,
  EmulatorSettings,
  RefreshEvent,
} from './emulatorState.ts';

export interface KiroEmulator {
  /** `http://127.0.0.1:PORT`, the base URL for every Kiro call. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: EmulatorRequestLogEntry[];
  /** TCP connections accepted so far. */
  readonly connectionCount: number;
  /** Calls to the refresh endpoints (social and IdC), successful or not. */
  readonly refreshCount: number;
  /**
   * Calls `listener` once each refresh is decided (`handled`: a rotated token is dead) and right after its answer went to the socket
   * (`answered`); returns the unsubscribe.
   */
  onRefresh(listener: (answer: RefreshEvent) => void): () => void;
  strictRejections(): EmulatorRequestLogEntry[];
  setFault(fault?: FaultSpec): void;
  setOptions(options: Partial<EmulatorSettings>): void;
  createSocialAccount(options?: { expired?: boolean }): AccountCredentials;
  createIdcAccount(options?: { expired?: boolean; region?: string }): IdcAccountCredentials;
  /** An account behind a `ksk_` Kiro API key (sent with `tokentype: API_KEY`). */
  createApiKeyAccount(): { accountId: string; apiKey: string };
  /** Every access token issued so far stops working; refresh tokens still do. */
  expireAccessTokens(): void;
  revokeRefreshToken(refreshToken: string): void;
  /** The key stops working, as when it is deleted in Kiro's console. */
  revokeApiKey(apiKey: string): void;
  /** The account's refresh token as of now (each refresh rotates it). */
  currentRefreshToken(accountId: string): string;
  /** Every access and refresh token this emulator ever issued. */
  issuedTokens(): string[];
  usage(accountId: string): AccountUsage;
  /** Sets an account's monthly credit limit (and the credits used); at the limit chat requests get 402. */
  setCredits(accountId: string, limit: number, used?: number): void;
  /** Device authorizations started (RegisterClient + StartDeviceAuthorization), oldest first. */
  deviceAuthorizations(): PendingDeviceAuthorization[];
  /** The user's answer in the browser to the code shown: the next CreateToken poll tells the client. */
  decideDeviceAuthorization(userCode: string, decision: DeviceDecision): void;
  /** Identity providers (Google, Github) of the social logins the browser went through. */
  socialLogins(): string[];
  /** Stops listening and destroys open sockets, mid-stream or idle. */
  close(): Promise<void>;
}

export async function startKiroEmulator(options: EmulatorOptions = {}): Promise<KiroEmulator> {
  const { port = 0, host = '127.0.0.1', fault, now = Date.now, ...overrides } = options;
  const settings: EmulatorSettings = { ...DEFAULT_SETTINGS, ...withoutUndefined(overrides) };
  const closing = new AbortController();
  const accounts = new AccountStore(
    {
      accessTokenTtlSeconds: () => settings.accessTokenTtlSeconds,
      rotateRefreshTokens: () => settings.rotateRefreshTokens,
    },
    now,
  );
  const deviceFlow = new DeviceFlow(
    accounts,
    {
      deviceCodeTtlSeconds: () => settings.deviceCodeTtlSeconds,
      pollIntervalSeconds: () => settings.devicePollIntervalSeconds,
    },
    now,
  );
  const state: EmulatorState = {
    now,
    settings,
    accounts,
    deviceFlow,
    socialLogin: new SocialLogin(accounts),
    fault: createServerFault(fault),
    requests: [],
    refreshCount: 0,
    refreshListeners: new Set(),
    closing: closing.signal,
  };
  const server = http.createServer({ noDelay: true }, createRequestListener(state));
  const connections = trackConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const boundPort = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${boundPort}`,
    port: boundPort,
    requests: state.requests,
    get connectionCount() {
      return connections.accepted;
    },
    get refreshCount() {
      return state.refreshCount;
    },
    onRefresh(listener) {
      state.refreshListeners.add(listener);
      return () => void state.refreshListeners.delete(listener);
    },
    strictRejections: () => state.requests.filter((entry) => entry.strictRejection !== undefined),
    setFault: (spec) => state.fault.set(spec),
    setOptions: (partial) => Object.assign(settings, withoutUndefined(partial)),
    createSocialAccount: (accountOptions) => state.accounts.createSocialAccount(accountOptions),
    createIdcAccount: (accountOptions) => state.accounts.createIdcAccount(accountOptions),
    createApiKeyAccount: () => state.accounts.createApiKeyAccount(),
    expireAccessTokens: () => state.accounts.expireAccessTokens(),
    revokeRefreshToken: (refreshToken) => state.accounts.revokeRefreshToken(refreshToken),
    revokeApiKey: (apiKey) => state.accounts.revokeApiKey(apiKey),
    currentRefreshToken: (accountId) => state.accounts.currentRefreshToken(accountId),
    issuedTokens: () => state.accounts.issuedTokens(),
    usage: (accountId) => state.accounts.usage(accountId),
    setCredits: (accountId, limit, used) => state.accounts.setCredits(accountId, limit, used),
    deviceAuthorizations: () => deviceFlow.list(),
    decideDeviceAuthorization: (userCode, decision) => deviceFlow.decide(userCode, decision),
    socialLogins: () => [...state.socialLogin.logins],
    close: () => closeServer(server, connections.open, closing),
  };
}

function trackConnections(server: http.Server): { accepted: number; open: Set<Socket> } {
  const connections = { accepted: 0, open: new Set<Socket>() };
  server.on('connection', (socket: Socket) => {
    connections.accepted += 1;
    connections.open.add(socket);
    socket.once('close', () => connections.open.delete(socket));
  });
  return connections;
}

function closeServer(server: http.Server, sockets: Set<Socket>, closing: AbortController): Promise<void> {
  closing.abort();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  return closed;
}

function withoutUndefined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
