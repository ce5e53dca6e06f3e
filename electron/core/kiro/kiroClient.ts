/**
 * The one place that talks HTTP to Kiro. Bodies are streamed (never buffered whole), connections are kept
 * alive and reused, every failure comes out as a typed UpstreamError, and aborting the signal (the client went
 * away) tears the upstream request down at once.
 */
import http from 'node:http';
import https from 'node:https';
import got, { type Got, type Request } from 'got';
import type { KiroEndpoints } from './kiroEndpoints.ts';
import type { KiroConversationRequest } from './kiroRequest.ts';
import type { KiroEvent } from './kiroEvents.ts';
import { classifyUpstreamError } from './classifyUpstreamError.ts';
import { readKiroEvents, type StreamTimeouts } from './readKiroEvents.ts';
import { UpstreamError } from './upstreamError.ts';
import {
  toModelPage,
  toNetworkError,
  toRefreshedToken,
  type KiroModelInfo,
  type RefreshedToken,
} from './kiroAnswers.ts';

export type { KiroModelInfo, RefreshedToken } from './kiroAnswers.ts';
import { kiroHeaders, oidcHeaders } from './kiroHeaders.ts';

export interface KiroCredential {
  accessToken: string;
  profileArn?: string;
  /** `ksk_…` Kiro API keys are sent as bearer tokens with `tokentype: API_KEY`. */
  isApiKey?: boolean;
  /** 64 hex characters identifying this installation+account to Kiro (appended to the user agent). */
  machineId: string;
}

export interface KiroClientOptions {
  endpoints: KiroEndpoints;
  timeouts?: Partial<ClientTimeouts>;
  /** Sockets per upstream host; requests beyond it queue in the agent. */
  maxSocketsPerHost?: number;
  now?: () => number;
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

export function createKiroClient(options: KiroClientOptions): KiroClient {
  let timeouts: ClientTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const now = options.now ?? Date.now;
  // Idle sockets are closed after `timeout` (well before servers drop them, which would fail the next request
  // on a dead socket); bounded free sockets keep a burst from leaving dozens open.
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    keepAliveMsecs: 1_000,
    maxSockets: options.maxSocketsPerHost ?? 32,
    maxFreeSockets: 16,
    timeout: IDLE_SOCKET_MS,
    scheduling: 'lifo',
    noDelay: true,
  };
  const agent = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const client: Got = got.extend({
    agent,
    retry: { limit: 0 },
    throwHttpErrors: false,
  });
  // Read per call (not fixed in the got instance), so new timeouts apply to the next call.
  const connectTimeouts = () => ({ connect: timeouts.connectMs, secureConnect: timeouts.connectMs });

  async function streamAssistantResponse(
    body: KiroConversationRequest,
    credential: KiroCredential,
    callOptions: { signal?: AbortSignal; attempt?: number } = {},
  ): Promise<AsyncIterableIterator<KiroEvent[]>> {
    const stream = client.stream.post(options.endpoints.generateAssistantResponse, {
      body: JSON.stringify(body),
      headers: kiroHeaders(credential, callOptions.attempt ?? 1),
      timeout: { ...connectTimeouts(), response: timeouts.firstEventMs },
      signal: callOptions.signal,
    });
    const status = await awaitResponse(stream);
    if (status !== 200) {
      const text = await readAll(stream);
      throw classifyUpstreamError(status, text, stream.response?.headers ?? {}, now());
    }
    return readKiroEvents(stream, timeouts);
  }

  async function postJson(url: string, json: unknown, headers: Record<string, string>): Promise<unknown> {
    let response;
    try {
      response = await client.post(url, {
        json,
        headers,
        timeout: { ...connectTimeouts(), request: timeouts.controlCallMs },
      });
    } catch (error) {
      throw toNetworkError(error);
    }
    if (response.statusCode !== 200) {
      const error = classifyUpstreamError(
        response.statusCode,
        String(response.body),
        response.headers,
        now(),
      );
      if (/invalid_grant|invalid refresh token/i.test(String(response.body))) {
        throw new UpstreamError('refresh_rejected', error.message || 'Refresh token rejected', {
          status: response.statusCode,
        });
      }
      throw error;
    }
    return JSON.parse(String(response.body)) as unknown;
  }

  async function getJson(
    url: string,
    searchParams: URLSearchParams,
    credential: KiroCredential,
  ): Promise<unknown> {
    let response;
    try {
      response = await client.get(url, {
        searchParams,
        headers: kiroHeaders(credential, 1),
        timeout: { ...connectTimeouts(), request: timeouts.controlCallMs },
      });
    } catch (error) {
      throw toNetworkError(error);
    }
    if (response.statusCode !== 200) {
      throw classifyUpstreamError(response.statusCode, String(response.body), response.headers, now());
    }
    return JSON.parse(String(response.body)) as unknown;
  }

  return {
    streamAssistantResponse,
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
    timeouts: () => ({ ...timeouts }),
    setTimeouts(changed) {
      timeouts = { ...timeouts, ...changed };
    },
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}

function awaitResponse(stream: Request): Promise<number> {
  return new Promise((resolve, reject) => {
    const onResponse = (response: { statusCode: number }) => {
      stream.off('error', onError);
      resolve(response.statusCode);
    };
    const onError = (error: unknown) => {
      stream.off('response', onResponse);
      reject(toNetworkError(error));
    };
    stream.once('response', onResponse);
    stream.once('error', onError);
  });
}

async function readAll(stream: Request): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch {
    // A cut error body still classifies by status; keep what arrived.
  }
  return Buffer.concat(chunks).toString('utf8');
}
