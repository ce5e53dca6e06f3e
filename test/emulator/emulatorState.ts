/**
 * Options, settings and the mutable state shared by the emulator's request handlers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AccountStore } from './accountStore.ts';
import type { DeviceFlow } from './deviceAuthorization.ts';
import type { SocialLogin } from './socialLogin.ts';
import type { FaultKind, FaultSpec, ServerFault } from './faults.ts';

/** The chat host families: `q.{region}.amazonaws.com` and `runtime.{region}.kiro.dev`. */
export type ChatHost = 'q' | 'runtime';

export interface EmulatorSettings {
  /** Reject every request shape the real service rejects (default true). */
  strict: boolean;
  /** Delay before the status line of a successful stream. */
  timeToFirstByteMs: number;
  /** Delay between frames; 0 writes them back to back without timers. */
  interFrameDelayMs: number;
  /** The reply text is split into about this many assistantResponseEvents. */
  chunkCount: number;
  accessTokenTtlSeconds: number;
  /** Refreshing issues a new refresh token and kills the old one. */
  rotateRefreshTokens: boolean;
  /** Denominator of contextUsagePercentage, in tokens (default: the requested model's input limit). */
  contextWindow?: number;
  /**
   * Delay between rotating a refresh token and answering the refresh (the answer's trip back): a client that
   * dies meanwhile never learns the token that replaced its own.
   */
  refreshAnswerDelayMs: number;
  /** Seconds a device-flow user code stays valid (the real service: 600). */
  deviceCodeTtlSeconds: number;
  /** Seconds between CreateToken polls the device flow asks for (the real service: 1). */
  devicePollIntervalSeconds: number;
  /**
   * Which chat hosts accept which login type (docs/chat-hosts.md): a host not listed answers 403 "bearer token
   * invalid" to that login, as the real ones do.
   */
  hostRules: Record<'social' | 'idc' | 'api_key', ChatHost[]>;
}

export interface EmulatorOptions extends Partial<EmulatorSettings> {
  port?: number;
  host?: '127.0.0.1';
  /** A server-wide fault from the start (see `setFault`). */
  fault?: FaultSpec;
  /**
   * The emulator's wall clock, for token expiries and quota reset dates: pass the proxy's (fake) clock so that
   * both agree on the date. Default: the real time.
   */
  now?: () => number;
}

export const DEFAULT_SETTINGS: EmulatorSettings = {
  strict: true,
  timeToFirstByteMs: 0,
  interFrameDelayMs: 0,
  chunkCount: 24,
  accessTokenTtlSeconds: 3600,
  rotateRefreshTokens: true,
  refreshAnswerDelayMs: 0,
  deviceCodeTtlSeconds: 600,
  devicePollIntervalSeconds: 1,
  hostRules: { social: ['q', 'runtime'], idc: ['q'], api_key: ['q', 'runtime'] },
};

export type EmulatorOperation =
  | 'generateAssistantResponse'
  | 'chatHostProbe'
  | 'refreshToken'
  | 'createToken'
  | 'getUsageLimits'
  | 'listAvailableModels'
  | 'mcp'
  | 'registerClient'
  | 'startDeviceAuthorization'
  | 'listAvailableProfiles'
  | 'socialLogin'
  | 'socialToken'
  | 'unknownOperation'
  | 'notFound';

export interface EmulatorRequestLogEntry {
  method: string;
  /** URL path without the query string; `/` for the awsJson form. */
  path: string;
  query: string;
  operation: EmulatorOperation;
  /** The chat host family the request was addressed to. */
  host: ChatHost;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: unknown;
  accountId?: string;
  /** Status answered, set when the status line is written. */
  status?: number;
  strictRejection?: string;
  fault?: FaultKind;
  /** The caller closed the connection before the streamed answer was complete. */
  clientDisconnected?: boolean;
}

/**
 * A refresh the emulator handled, for tests that act at that moment (e.g. kill the client): `handled` once the
 * request is decided (a rotated token is dead from here on), `answered` once the answer went to the socket.
 */
export interface RefreshEvent {
  phase: 'handled' | 'answered';
  operation: 'refreshToken' | 'createToken';
  status: number;
  /** With a 200: the refresh token issued, the only one that works from now on. */
  issuedRefreshToken?: string;
  /** `performance.now()` of this process at that moment. */
  at: number;
}

export interface EmulatorState {
  now(): number;
  settings: EmulatorSettings;
  accounts: AccountStore;
  deviceFlow: DeviceFlow;
  socialLogin: SocialLogin;
  fault: ServerFault;
  requests: EmulatorRequestLogEntry[];
  /** Calls to /refreshToken and /token, successful or not. */
  refreshCount: number;
  /** Told of every refresh as it is handled and once its answer has been handed to the socket. */
  refreshListeners: Set<(answer: RefreshEvent) => void>;
  /** Aborted when the emulator closes: pending delays stop. */
  closing: AbortSignal;
}
