/**
 * An in-memory stand-in for the core's admin API, for component tests: it answers the routes the dashboard
 * calls from a state the test controls, records every call, and lets the test push live events. The real API
 * is exercised end to end by the browser tests (test/e2e/); here the subject is the component.
 */
import type {
  AccountView,
  AddAccountRequest,
  AdminEvent,
  HealthResponse,
  PoolStrategy,
  RequestLogEntry,
  SettingsView,
  StatsResponse,
  UpdateAccountRequest,
} from '../../../shared/adminApi.ts';

export interface FakeAdminState {
  accounts: AccountView[];
  strategy: PoolStrategy;
  stats: StatsResponse;
  requests: RequestLogEntry[];
  settings: SettingsView;
  health: HealthResponse;
  /** Session tokens accepted as Bearer. */
  validTokens: Set<string>;
  /** Login codes accepted once by POST /admin/session. */
  loginCodes: Set<string>;
}

export interface RecordedCall {
  method: string;
  path: string;
  body?: unknown;
  authorization?: string;
}

type Handler = (call: RecordedCall) => { status: number; body?: unknown } | undefined;

export interface FakeAdminApi {
  state: FakeAdminState;
  calls: RecordedCall[];
  fetch: typeof fetch;
  /** Sends an event to every open /admin/events stream. */
  emit(event: AdminEvent): void;
  /** Answers `method path` with a handler's result instead of the default behaviour (return undefined to fall through). */
  override(method: string, path: string | RegExp, handler: Handler): void;
  openStreams(): number;
  /** Ends every open event stream, as a proxy restart would. */
  closeStreams(): void;
}

export function emptyStats(now = Date.now()): StatsResponse {
  return {
    window: '15m',
    bucketMs: 1_000,
    from: now - 15 * 60_000,
    to: now,
    buckets: [],
    totals: { requestsPerMinute: 0, errorRate: 0, activeStreams: 0, caches: {} },
  };
}

export function defaultSettings(): SettingsView {
  return {
    listen: { host: '127.0.0.1', port: 8765 },
    listening: { host: '127.0.0.1', port: 8765 },
    poolStrategy: 'sequential',
    timeouts: { connectMs: 5_000, firstEventMs: 90_000, idleMs: 120_000 },
    responseCache: { enabled: false, ttlSeconds: 120, maxBytes: 33_554_432, includeToolsAndSampling: false },
    ideWriteBack: true,
    logLevel: 'info',
    metricsPublic: false,
    capturePrompts: false,
    clientKeyPreview: 'kd-…abcd',
  };
}

export function account(overrides: Partial<AccountView> & { id: string }): AccountView {
  return {
    label: overrides.id,
    source: 'manual',
    authMethod: 'social',
    region: 'us-east-1',
    disabled: false,
    state: { kind: 'active' },
    inFlight: 0,
    hasRefreshToken: true,
    hasApiKey: false,
    ...overrides,
  };
}

export function createFakeAdminApi(initial: Partial<FakeAdminState> = {}): FakeAdminApi {
  const state: FakeAdminState = {
    accounts: [],
    strategy: 'sequential',
    stats: emptyStats(),
    requests: [],
    settings: defaultSettings(),
    health: {
      status: 'ok',
      version: '0.0.0-test',
      uptimeSeconds: 5,
      accounts: { total: 0, byState: {} },
      upstream: { state: 'unknown' },
      inFlight: 0,
    },
    validTokens: new Set(['session-token']),
    loginCodes: new Set(),
    ...initial,
  };
  const calls: RecordedCall[] = [];
  const overrides: { method: string; path: string | RegExp; handler: Handler }[] = [];
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const encoder = new TextEncoder();

  function json(status: number, body?: unknown): Response {
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }

  function defaultAnswer(call: RecordedCall): { status: number; body?: unknown } {
    const { method, path } = call;
    if (method === 'POST' && path === '/admin/session') {
      const code = (call.body as { code?: string } | undefined)?.code ?? '';
      if (!state.loginCodes.delete(code))
        return { status: 401, body: { error: { message: 'That login code is not valid.' } } };
      state.validTokens.add(`session-for-${code}`);
      return { status: 200, body: { token: `session-for-${code}` } };
    }
    if (method === 'GET' && path === '/health') return { status: 200, body: state.health };
    const token = call.authorization?.replace(/^Bearer /, '');
    if (!token || !state.validTokens.has(token))
      return { status: 401, body: { error: { message: 'Invalid admin token.' } } };
    if (method === 'GET' && path === '/admin/accounts')
      return { status: 200, body: { accounts: state.accounts, strategy: state.strategy } };
    if (method === 'GET' && path.startsWith('/admin/stats')) return { status: 200, body: state.stats };
    if (method === 'GET' && path.startsWith('/admin/requests'))
      return {
        status: 200,
        body: { requests: state.requests, capturePrompts: state.settings.capturePrompts },
      };
    if (method === 'GET' && path === '/admin/settings') return { status: 200, body: state.settings };
    if (method === 'PUT' && path === '/admin/pool/strategy') {
      state.strategy = (call.body as { strategy: PoolStrategy }).strategy;
      return { status: 200, body: { strategy: state.strategy } };
    }
    const accountAnswer = answerAccountCall(state, call);
    if (accountAnswer) return accountAnswer;
    return { status: 404, body: { error: { message: `No fake for ${method} ${path}` } } };
  }

  const fakeFetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://127.0.0.1:8765');
    const headers = new Headers(init?.headers);
    const call: RecordedCall = {
      method: (init?.method ?? 'GET').toUpperCase(),
      path: `${url.pathname}${url.search}`,
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      authorization: headers.get('authorization') ?? undefined,
    };
    calls.push(call);
    if (call.method === 'GET' && url.pathname === '/admin/events') {
      const token = call.authorization?.replace(/^Bearer /, '');
      if (!token || !state.validTokens.has(token))
        return json(401, { error: { message: 'Invalid admin token.' } });
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
          streams.add(c);
        },
        cancel() {
          streams.delete(controller);
        },
      });
      init?.signal?.addEventListener('abort', () => {
        streams.delete(controller);
        try {
          controller.error(new DOMException('aborted', 'AbortError'));
        } catch {
          // already closed
        }
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }
    for (const entry of overrides) {
      const matches =
        entry.method === call.method &&
        (typeof entry.path === 'string' ? entry.path === call.path : entry.path.test(call.path));
      if (!matches) continue;
      const answer = entry.handler(call);
      if (answer) return json(answer.status, answer.body);
    }
    const answer = defaultAnswer(call);
    return json(answer.status, answer.body);
  };

  return {
    state,
    calls,
    fetch: fakeFetch,
    emit(event) {
      const chunk = encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      for (const controller of streams) controller.enqueue(chunk);
    },
    override(method, path, handler) {
      overrides.unshift({ method, path, handler });
    },
    openStreams: () => streams.size,
    closeStreams() {
      for (const controller of streams) controller.close();
      streams.clear();
    },
  };
}

/**
 * Add, change, refresh, remove and import accounts, as the core answers them when everything succeeds (a test
 * that needs a failure overrides the route). Imports find nothing unless overridden.
 */
function answerAccountCall(
  state: FakeAdminState,
  call: RecordedCall,
): { status: number; body?: unknown } | undefined {
  const { method, path } = call;
  if (method === 'POST' && path === '/admin/accounts/import')
    return { status: 200, body: { imported: [], alreadyPresent: [], problems: [] } };
  if (method === 'POST' && path === '/admin/accounts') {
    const added = accountFromRequest(call.body as AddAccountRequest, `added-${state.accounts.length + 1}`);
    state.accounts.push(added);
    return { status: 201, body: added };
  }
  const match = /^\/admin\/accounts\/([^/]+)(\/refresh)?$/.exec(path);
  if (!match) return undefined;
  const id = decodeURIComponent(match[1]!);
  const existing = state.accounts.find((candidate) => candidate.id === id);
  if (!existing) return { status: 404, body: { error: { message: `No account ${id}.` } } };
  if (method === 'POST' && match[2]) return { status: 200, body: existing };
  if (method === 'DELETE') {
    state.accounts = state.accounts.filter((candidate) => candidate !== existing);
    return { status: 204 };
  }
  if (method === 'PATCH') {
    const patch = call.body as UpdateAccountRequest;
    const disabled = patch.disabled ?? existing.disabled;
    const changed: AccountView = {
      ...existing,
      ...patch,
      disabled,
      state: disabled ? { kind: 'disabled' } : existing.disabled ? { kind: 'active' } : existing.state,
    };
    state.accounts = state.accounts.map((candidate) => (candidate === existing ? changed : candidate));
    return { status: 200, body: changed };
  }
  return undefined;
}

function accountFromRequest(request: AddAccountRequest, id: string): AccountView {
  const label = request.label ?? id;
  if (request.kind === 'api_key')
    return account({
      id,
      label,
      authMethod: 'api_key',
      hasRefreshToken: false,
      hasApiKey: true,
      apiKeyPreview: `ksk_…${request.apiKey.slice(-4)}`,
    });
  return account({
    id,
    label,
    authMethod: request.kind,
    region: request.kind === 'idc' ? request.region : 'us-east-1',
  });
}
