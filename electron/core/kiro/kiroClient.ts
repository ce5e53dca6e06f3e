/**
 * The one place that talks HTTP to Kiro. Bodies are streamed (never buffered whole), connections are kept
 * alive and reused, every failure comes out as a typed UpstreamError, and aborting the signal (the client went
 * away) tears the upstream request down at once.
 *
 * The transport is undici (Node's own HTTP/1.1 client) rather than got: measured through the whole proxy under
 * load, got's per-request option handling cost about a third of Kiro Dock's CPU per request (bench/RESULTS.md).
 */
import type * as Undici from 'undici';
import type { Agent, Dispatcher } from 'undici';
import type { ChatHostFamily, KiroEndpoints } from './kiroEndpoints.ts';
import type { KiroConversationRequest } from './kiroRequest.ts';
import type { KiroEvent } from './kiroEvents.ts';
import { classifyUpstreamError } from './classifyUpstreamError.ts';
import { readKiroEvents, type StreamTimeouts } from './readKiroEvents.ts';
import { UpstreamError } from './upstreamError.ts';
import { systemClock, type Clock } from '../ports.ts';
import {
  toModelPage,
  toNetworkError,
  toRefreshedToken,
  type KiroModelInfo,
  type RefreshedToken,
} from './kiroAnswers.ts';

export type { KiroModelInfo, RefreshedToken } from './kiroAnswers.ts';
import { kiroHeaders, oidcHeaders } from './kiroHeaders.ts';
import type { KiroCredential } from './kiroCredential.ts';

export type { KiroCredential } from './kiroCredential.ts';

export interface KiroClientOptions {
  endpoints: KiroEndpoints;
  timeouts?: Partial<ClientTimeouts>;
  /** Sockets per upstream host; requests beyond it queue in the agent. */
  maxSocketsPerHost?: number;
  /** Retry-After dates and the stream watchdogs; default the system clock. */
  clock?: Clock;
}

export interface ClientTimeouts extends StreamTimeouts {
  connectMs: number;
  /** Refresh, usage and model calls: small JSON answers. */
  controlCallMs: number;
}

export const DEFAULT_TIMEOUTS: ClientTimeouts = {
  connectMs: 5_000,
  firstEventMs: 90_000,
  idleMs: 120_000,
  controlCallMs: 15_000,
};

/** Kiro's load balancers drop idle connections after about 60 s. */
const IDLE_SOCKET_MS = 30_000;
/** Enough for any catalogue; stops a server that keeps returning a nextToken. */
const MAX_MODEL_PAGES = 5;

export interface KiroClient {
  streamAssistantResponse(
    body: KiroConversationRequest,
    credential: KiroCredential,
    options?: { signal?: AbortSignal; attempt?: number },
  ): Promise<AsyncIterableIterator<KiroEvent[]>>;
  refreshSocialToken(refreshToken: string, machineId: string): Promise<RefreshedToken>;
  refreshIdcToken(input: IdcRefreshInput): Promise<RefreshedToken>;
  /** The raw getUsageLimits answer (normalise with usageLimits.ts). */
  getUsageLimits(credential: KiroCredential): Promise<unknown>;
  /** The models this credential may use (every page of ListAvailableModels). */
  listAvailableModels(credential: KiroCredential): Promise<KiroModelInfo[]>;
  /** One JSON-RPC call to Kiro's MCP endpoint (web search, docs/web-search.md); the raw answer. */
  callMcp(request: object, credential: KiroCredential, signal?: AbortSignal): Promise<unknown>;
  /**
   * Whether `family`'s chat host accepts the credential, without spending credits: an empty body is refused as
   * malformed (400) by a host that accepted the token and as forbidden (401/403) by one that did not.
   */
  probeChatHost(
    credential: KiroCredential,
    family: ChatHostFamily,
  ): Promise<'accepted' | 'rejected' | 'unknown'>;
  /** The timeouts the next call will use. */
  timeouts(): ClientTimeouts;
  /** Applies to calls made from now on; calls in progress keep the timeouts they started with. */
  setTimeouts(timeouts: Partial<ClientTimeouts>): void;
  close(): void;
}

export interface IdcRefreshInput {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  region: string;
}

/**
 * undici is over a hundred modules and about 15 MiB: a start with no account (or one that never calls Kiro
 * before its first request) should not pay for it, so the first call loads it.
 */
let undici: Promise<typeof Undici> | undefined;
const loadUndici = () => (undici ??= import('undici'));

export function createKiroClient(options: KiroClientOptions): KiroClient {
  let timeouts: ClientTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  /** The connection pool, made by the first call; undefined again when a new connect timeout retires it. */
  let dispatcher: Agent | undefined;
  let closed = false;

  async function streamAssistantResponse(
    body: KiroConversationRequest,
    credential: KiroCredential,
    callOptions: { signal?: AbortSignal; attempt?: number } = {},
  ): Promise<AsyncIterableIterator<KiroEvent[]>> {
    const answer = await send(options.endpoints.chatUrl(credential.chatHost ?? 'q'), {
      method: 'POST',
      body: JSON.stringify(body),
      headers: kiroHeaders(credential, callOptions.attempt ?? 1),
      signal: callOptions.signal,
      // Headers and the first event share the first-event budget; the idle watchdog takes over after it.
      headersTimeout: timeouts.firstEventMs,
      bodyTimeout: 0,
    });
    if (answer.statusCode !== 200) {
      const text = await readAll(answer.body);
      throw classifyUpstreamError(answer.statusCode, text, answer.headers, now());
    }
    return readKiroEvents(answer.body, timeouts, clock);
  }

  /** One call through the current dispatcher; failures before any answer become typed network errors. */
  async function send(
    url: string,
    init: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>,
  ): Promise<Dispatcher.ResponseData> {
    try {
      const { Agent, errors, request } = await loadUndici();
      // A closed client keeps refusing calls as the destroyed pool did, rather than opening a new one.
      if (closed) throw new errors.ClientDestroyedError();
      dispatcher ??= createDispatcher(Agent, timeouts.connectMs, options.maxSocketsPerHost);
      return await request(url, { ...init, dispatcher });
    } catch (error) {
      throw toNetworkError(error);
    }
  }

  /** Refresh, usage and model calls: small JSON answers, each phase bounded by the control-call timeout. */
  async function callJson(
    url: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  ): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
    const answer = await send(url, {
      ...init,
      headersTimeout: timeouts.controlCallMs,
      bodyTimeout: timeouts.controlCallMs,
    });
    return { status: answer.statusCode, text: await readAll(answer.body), headers: answer.headers };
  }

  async function postJson(url: string, json: unknown, headers: Record<string, string>): Promise<unknown> {
    const answer = await callJson(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(json),
    });
    if (answer.status !== 200) {
      const error = classifyUpstreamError(answer.status, answer.text, answer.headers, now());
      if (/invalid_grant|invalid refresh token/i.test(answer.text)) {
        throw new UpstreamError('refresh_rejected', error.message || 'Refresh token rejected', {
          status: answer.status,
        });
      }
      throw error;
    }
    return parseJsonAnswer(answer.text);
  }

  async function getJson(
    url: string,
    searchParams: URLSearchParams,
    credential: KiroCredential,
  ): Promise<unknown> {
    const answer = await callJson(`${url}?${searchParams.toString()}`, {
      method: 'GET',
      headers: kiroHeaders(credential, 1),
    });
    if (answer.status !== 200) {
      throw classifyUpstreamError(answer.status, answer.text, answer.headers, now());
    }
    return parseJsonAnswer(answer.text);
  }

  return {
    streamAssistantResponse,
    async probeChatHost(credential, family) {
      try {
        const answer = await callJson(options.endpoints.chatUrl(family), {
          method: 'POST',
          headers: kiroHeaders(credential, 1),
          // With the profile: a host that wants one answers "profileArn is required" before looking at the token.
          body: JSON.stringify(credential.profileArn ? { profileArn: credential.profileArn } : {}),
        });
        if (answer.status === 400) return /profileArn/i.test(answer.text) ? 'unknown' : 'accepted';
        return answer.status === 401 || answer.status === 403 ? 'rejected' : 'unknown';
      } catch {
        return 'unknown';
      }
    },
    async refreshSocialToken(refreshToken, machineId) {
      const answer = await postJson(
        options.endpoints.socialRefresh,
        { refreshToken },
        {
          'user-agent': `KiroIDE-0.11.107-${machineId}`,
          accept: 'application/json, text/plain, */*',
        },
      );
      return toRefreshedToken(answer);
    },
    async refreshIdcToken(input) {
      const answer = await postJson(
        options.endpoints.oidcToken(input.region),
        {
          clientId: input.clientId,
          clientSecret: input.clientSecret,
          refreshToken: input.refreshToken,
          grantType: 'refresh_token',
        },
        oidcHeaders(),
      );
      return toRefreshedToken(answer);
    },
    async getUsageLimits(credential) {
      const searchParams = new URLSearchParams({
        origin: 'AI_EDITOR',
        resourceType: 'AGENTIC_REQUEST',
        isEmailRequired: 'true',
      });
      if (credential.profileArn) searchParams.set('profileArn', credential.profileArn);
      return getJson(options.endpoints.getUsageLimits, searchParams, credential);
    },
    async listAvailableModels(credential) {
      const models: KiroModelInfo[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_MODEL_PAGES; page++) {
        const searchParams = new URLSearchParams({ origin: 'AI_EDITOR' });
        if (credential.profileArn && !credential.isApiKey)
          searchParams.set('profileArn', credential.profileArn);
        if (nextToken) searchParams.set('nextToken', nextToken);
        const answer = await getJson(options.endpoints.listAvailableModels, searchParams, credential);
        const parsed = toModelPage(answer);
        models.push(...parsed.models);
        nextToken = parsed.nextToken;
        if (nextToken === undefined) break;
      }
      return models;
    },
    async callMcp(mcpRequest, credential, signal) {
      const headers: Record<string, string> = {
        ...kiroHeaders(credential, 1),
        'content-type': 'application/json',
        ...(credential.profileArn ? { 'x-amzn-kiro-profile-arn': credential.profileArn } : {}),
      };
      const answer = await send(options.endpoints.mcp, {
        method: 'POST',
        headers,
        body: JSON.stringify(mcpRequest),
        signal,
        headersTimeout: timeouts.controlCallMs,
        bodyTimeout: timeouts.controlCallMs,
      });
      const text = await readAll(answer.body);
      if (answer.statusCode !== 200) {
        throw classifyUpstreamError(answer.statusCode, text, answer.headers, now());
      }
      return parseJsonAnswer(text);
    },
    timeouts: () => ({ ...timeouts }),
    setTimeouts(changed) {
      const previous = timeouts;
      timeouts = { ...timeouts, ...changed };
      // The connect timeout belongs to the connection pool: a new pool takes the next calls, the old one
      // finishes the calls it carries and closes.
      if (timeouts.connectMs !== previous.connectMs && dispatcher) {
        const retired = dispatcher;
        dispatcher = undefined;
        void retired.close();
      }
    },
    close() {
      closed = true;
      void dispatcher?.destroy();
    },
  };
}

/** Kiro's load balancers drop idle connections after about 60 s; ours are closed well before. */
function createDispatcher(Pool: typeof Undici.Agent, connectMs: number, maxSocketsPerHost = 32): Agent {
  return new Pool({
    connections: maxSocketsPerHost,
    keepAliveTimeout: IDLE_SOCKET_MS,
    keepAliveMaxTimeout: IDLE_SOCKET_MS,
    connect: { timeout: connectMs, noDelay: true },
  });
}

async function readAll(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body) chunks.push(chunk as Buffer);
  } catch {
    // A cut error body still classifies by status; keep what arrived.
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonAnswer(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UpstreamError(
      'server_error',
      `Kiro answered with something that is not JSON: ${text.slice(0, 120)}`,
    );
  }
}
