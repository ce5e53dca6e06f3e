/**
 * The admin API of Kiro Dock (served under /admin by the core, used by the dashboard and the tray): request and
 * response bodies and the live events. Plain types and constants only, so any runtime can import them.
 *
 * Nothing here ever carries a token, secret or key: accounts are described by metadata, flags such as
 * `hasRefreshToken`, and at most a masked API key preview (`ksk_…abcd`).
 */

import type { SignInOriginView } from './signInApi.ts';

export type PoolStrategy = 'sequential' | 'round-robin' | 'most-quota' | 'least-in-flight';

export const POOL_STRATEGIES: readonly PoolStrategy[] = [
  'sequential',
  'round-robin',
  'most-quota',
  'least-in-flight',
];

export type AccountSourceView = 'kiro-ide' | 'kiro-cli' | 'manual';

export type AuthMethodView = 'social' | 'idc' | 'api_key' | 'external_idp';

/** Why an account is or is not serving requests now; times are epoch ms. */
export type AccountStateView =
  | { kind: 'active' }
  | { kind: 'cooling_down'; until: number; reason: string }
  | { kind: 'exhausted'; until: number; reason: string }
  | { kind: 'needs_relogin'; reason: string; howToFix: string }
  | { kind: 'suspended'; since: number; reason: string }
  | { kind: 'disabled' };

export interface QuotaGrantView {
  limit: number;
  used: number;
  expiresAt?: number;
  active: boolean;
}

export interface QuotaView {
  /** Base credits plus the active free trial and bonuses. */
  limit: number;
  used: number;
  remaining: number;
  resetsAt?: number;
  subscriptionTitle?: string;
  overageCapable: boolean;
  overageEnabled: boolean;
  freeTrial?: QuotaGrantView;
  bonuses: QuotaGrantView[];
  fetchedAt: number;
  /** When the credits run out at the recent rate of use, if before the reset. */
  forecastExhaustedAt?: number;
}

export interface AccountView {
  id: string;
  label: string;
  source: AccountSourceView;
  authMethod: AuthMethodView;
  provider?: string;
  region: string;
  email?: string;
  disabled: boolean;
  state: AccountStateView;
  /** Requests this account is serving right now. */
  inFlight: number;
  /** Epoch ms when the current access token expires. */
  tokenExpiresAt?: number;
  hasRefreshToken: boolean;
  hasApiKey: boolean;
  /** `ksk_…abcd`: enough to tell keys apart, never enough to use one. */
  apiKeyPreview?: string;
  quota?: QuotaView;
  lastError?: { message: string; at: number };
  /** Signed in from Kiro Dock: how ("Sign in again" runs the same flow). */
  signIn?: SignInOriginView;
  /** The Kiro profile the account's requests name. */
  profileArn?: string;
  /** The chat host a probe found accepts this login (unless the chatHost setting pins one for all). */
  chatHost?: { family: 'q' | 'runtime'; host: string; probedAt: number };
}

export type AddAccountRequest =
  | { kind: 'social'; refreshToken: string; label?: string }
  | {
      kind: 'idc';
      refreshToken: string;
      clientId: string;
      clientSecret: string;
      region: string;
      label?: string;
    }
  | { kind: 'api_key'; apiKey: string; label?: string };

export interface UpdateAccountRequest {
  disabled?: boolean;
  label?: string;
}

export type ImportSource = 'ide' | 'kiro-cli';

export interface ImportAccountsRequest {
  from: ImportSource;
}

export interface ImportAccountsResponse {
  /** Ids of the accounts this import added. */
  imported: string[];
  /** Ids of accounts the source holds that were in the pool already. */
  alreadyPresent: string[];
  /** One sentence per login that could not be imported, naming where it was looked for. */
  problems: string[];
}

export interface ListAccountsResponse {
  accounts: AccountView[];
  strategy: PoolStrategy;
}

export interface StrategyBody {
  strategy: PoolStrategy;
}

/** Events of `GET /admin/events` (text/event-stream; the SSE event name is the `type`). */
export type AdminEvent =
  | { type: 'account'; account: AccountView }
  | { type: 'account_removed'; id: string }
  | { type: 'strategy'; strategy: PoolStrategy }
  /** Every STATS_EVENT_INTERVAL_MS while someone listens: the last 15 minutes, as GET /admin/stats?window=15m. */
  | { type: 'stats'; stats: StatsResponse }
  /**
   * The API requests that finished (answered, failed or abandoned by their clients) since the last such event,
   * newest first; sent at most every REQUEST_EVENT_INTERVAL_MS.
   */
  | { type: 'requests'; requests: RequestLogEntry[] }
  /** A setting changed (through the admin API, the tray or another process writing the settings file). */
  | { type: 'settings'; settings: SettingsView };

export const STATS_EVENT_INTERVAL_MS = 5_000;

export const REQUEST_EVENT_INTERVAL_MS = 1_000;

export type AdminEventType = AdminEvent['type'];

export interface AdminErrorBody {
  error: { message: string };
}

/** `POST /admin/accounts/:id/refresh` when Kiro refused: the reason, and the account in its new state. */
export interface RefreshFailedBody extends AdminErrorBody {
  account: AccountView;
}

/** Every admin route is under this path and needs `Authorization: Bearer <admin token>`. */
export const ADMIN_API_PREFIX = '/admin';

/** `GET /admin/stats?window=15m|24h`: 1 s buckets over 15 minutes, or 1 min buckets over 24 hours. */
export type StatsWindow = '15m' | '24h';

export const STATS_WINDOWS: readonly StatsWindow[] = ['15m', '24h'];

/** One bucket of the time series; latencies are absent when the bucket has no sample. */
export interface StatsBucket {
  /** Epoch ms when the bucket begins. */
  start: number;
  requests: number;
  /** Status ≥ 500 or an upstream failure. */
  errors: number;
  ttftP50Ms?: number;
  ttftP95Ms?: number;
  latencyP50Ms?: number;
  latencyP95Ms?: number;
  inputTokens: number;
  outputTokens: number;
  responseCacheHits: number;
  responseCacheMisses: number;
  promptCacheReadTokens: number;
  promptInputTokens: number;
}

export interface CacheStatsView {
  hits: number;
  misses: number;
  coalesced: number;
  entries: number;
  bytes: number;
}

export interface StatsTotals {
  /** Requests answered in the last 60 s. */
  requestsPerMinute: number;
  /** Errors / requests over the window; 0 without requests. */
  errorRate: number;
  /** API requests being served now. */
  activeStreams: number;
  /** Over the window; absent when the response cache took no part. */
  responseCacheHitRate?: number;
  /** Prompt-cache read / (read + uncached input) over the window; absent without input tokens. */
  promptCacheHitRate?: number;
  /** Every cache that reported itself, by name, since start. */
  caches: Record<string, CacheStatsView>;
}

export interface StatsResponse {
  window: StatsWindow;
  bucketMs: number;
  /** Epoch ms: the window is [from, to). */
  from: number;
  to: number;
  /** Buckets with activity only, oldest first; a bucket not listed had none. */
  buckets: StatsBucket[];
  /**
   * 15m only: the same span in one-minute buckets (activity only, oldest first, from the minute holding `from`),
   * which chart it as lines; the one-second `buckets` are for a closer look.
   */
  minuteBuckets?: StatsBucket[];
  totals: StatsTotals;
}

/** The last call to Kiro as the request path saw it (no call is made to find out). */
export type UpstreamStatusView =
  | { state: 'unknown' }
  | { state: 'ok'; at: number; ageSeconds: number }
  | { state: 'failing'; kind: string; at: number; ageSeconds: number };

/** `GET /health` (no token; nothing secret). */
export interface HealthResponse {
  status: 'ok' | 'degraded' | 'unavailable';
  version: string;
  uptimeSeconds: number;
  accounts: { total: number; byState: Record<string, number> };
  upstream: UpstreamStatusView;
  /** API requests being served now. */
  inFlight: number;
}

/** An attempt at Kiro that failed, after which the request was retried on the same account or another. */
export interface FailedAttemptView {
  accountId: string;
  accountLabel?: string;
  /** How it failed: `server_error`, `rate_limited`, `invalid_token`, `network`, `timeout`, … */
  kind: string;
  /** Kiro's HTTP status, when it answered. */
  status?: number;
}

/** How the response cache took part in a request. */
export type ResponseCacheOutcome = 'hit' | 'miss' | 'coalesced' | 'bypass';

/**
 * One finished API request, as the dashboard's live log shows it. No prompt or answer text unless the user
 * turned `capturePrompts` on; never a key or token.
 */
export interface RequestLogEntry {
  /** The request id (also the `request-id` response header and the log line's `reqId`). */
  id: string;
  /** Epoch ms when the request arrived. */
  at: number;
  /** The route as matched: `/v1/messages`, `/v1/chat/completions`, … */
  route: string;
  /** Where a request that did not come over HTTP came from (`kiro-dock daemon`); absent for HTTP requests. */
  source?: 'daemon';
  model?: string;
  /** The Kiro model id the request was sent as (after aliases and the built-in mapping). */
  kiroModel?: string;
  accountId?: string;
  accountLabel?: string;
  status: number;
  stream: boolean;
  /** Calls made to Kiro (absent or 0 when answered without one, e.g. from the response cache). */
  attempts?: number;
  /** The attempts that failed before the one that answered (or failed for good), oldest first. */
  failedAttempts?: FailedAttemptView[];
  /** From arrival to the first text (or tool call) sent to the client. */
  ttftMs?: number;
  durationMs: number;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
  /**
   * Kiro credits the request's turn cost: the sum of the turn's meteringEvents. Absent when Kiro metered
   * nothing (a failure before the answer, a response-cache hit).
   */
  credits?: number;
  responseCache?: ResponseCacheOutcome;
  /** One sentence, for failures. */
  error?: string;
  /** The last user message, cut to 2 000 characters; only while `capturePrompts` is on. */
  prompt?: string;
  /**
   * Set on a request refused (401) for its client key: none was sent (`missing`), or one that is not this
   * proxy's (`unknown`: an old key, another proxy's). The key itself is never recorded.
   */
  clientKey?: ClientKeyProblem;
}

export type ClientKeyProblem = 'missing' | 'unknown';

/**
 * Requests refused for their client key since the proxy started, each kind counted (the log keeps at most one
 * entry per second of each, so a misconfigured client cannot push everything else out of it).
 */
export interface RefusedClientKeys {
  missing: number;
  unknown: number;
  /** Epoch ms of the latest, if any. */
  lastAt?: number;
}

/** `GET /admin/requests?limit=N` (default 200, at most 1 000): newest first. */
export interface RecentRequestsResponse {
  requests: RequestLogEntry[];
  capturePrompts: boolean;
  refusedClientKeys: RefusedClientKeys;
}

export const RECENT_REQUESTS_KEPT = 1_000;

export type LogLevelView = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

export const LOG_LEVELS: readonly LogLevelView[] = ['trace', 'debug', 'info', 'warn', 'error', 'silent'];

/** Per-phase upstream timeouts, in ms. */
export interface TimeoutsView {
  connectMs: number;
  firstEventMs: number;
  idleMs: number;
}

/** Off by default; when on, answers are shared only within one session (or among requests naming none). */
export interface ResponseCacheSettingsView {
  enabled: boolean;
  ttlSeconds: number;
  maxBytes: number;
  /** Also cache requests that declare tools or are sampled above temperature 0 (absent temperature: 1). */
  includeToolsAndSampling: boolean;
}

export type ListenOrigin = 'flag' | 'env' | 'settings' | 'default';

/** `GET /admin/settings`: every setting the dashboard shows, with its effective value. */
export interface SettingsView {
  /** Where the proxy listens; a change applies the next time the proxy starts. */
  listen: { host: string; port: number };
  /** Where it listens now (differs from `listen` until the proxy restarts). */
  listening?: { host: string; port: number };
  /**
   * Where the host and the port it listens on came from: a command-line flag or an environment variable (which
   * win over the saved setting), the settings file, or the default. Present while it listens.
   */
  listeningFrom?: { host: ListenOrigin; port: ListenOrigin };
  poolStrategy: PoolStrategy;
  timeouts: TimeoutsView;
  responseCache: ResponseCacheSettingsView;
  /** Refreshed Kiro IDE tokens are written back to the IDE's file. */
  ideWriteBack: boolean;
  logLevel: LogLevelView;
  /** `/metrics` answers without the admin token (loopback names still required). */
  metricsPublic: boolean;
  /** The requests log keeps the last user message of each request. */
  capturePrompts: boolean;
  /** `kd-…abcd`: enough to recognise the client key. */
  clientKeyPreview: string;
}

/** `PATCH /admin/settings`: any subset; validated as a whole, nothing is saved when any part is invalid. */
export interface SettingsPatch {
  listen?: { host?: string; port?: number };
  poolStrategy?: PoolStrategy;
  timeouts?: Partial<TimeoutsView>;
  responseCache?: Partial<ResponseCacheSettingsView>;
  ideWriteBack?: boolean;
  logLevel?: LogLevelView;
  metricsPublic?: boolean;
  capturePrompts?: boolean;
}

/** Answer of `PATCH /admin/settings`. */
export interface SettingsPatchResponse {
  settings: SettingsView;
  /** Names of the changed settings that apply only after the proxy restarts (e.g. `listen`). */
  restartRequired: string[];
}

/** `POST /admin/client-key/reveal` and `POST /admin/client-key/regenerate` (the old key stops working at once). */
export interface ClientKeyResponse {
  key: string;
}

/** `GET /admin/claude-code`: what Claude Code needs to use this proxy. */
export interface ClaudeCodeSetupView {
  baseUrl: string;
  /** Shell lines (`export ANTHROPIC_BASE_URL=…`), with the real client key. */
  envLines: string[];
  /** The `env` block for `~/.claude/settings.json`, as pretty JSON, with the real client key. */
  settingsSnippet: string;
  /** The Claude Code settings file this machine uses. */
  settingsPath: string;
  settingsFileExists: boolean;
  /** The settings file already points at this proxy with the current key. */
  configured: boolean;
  /**
   * The settings file points at this proxy but with another key (one from before "Regenerate key"): Claude Code's
   * requests are refused until it is rewritten.
   */
  staleKey?: boolean;
  /** What writing the settings would replace or remove in the file's `env`; values that are keys are masked. */
  replaces?: ClaudeCodeEnvChange[];
}

/** One `env` entry of Claude Code's settings file that writing changes. */
export interface ClaudeCodeEnvChange {
  name: string;
  /** The value there now (a key as `sk-ant…abcd`). */
  current: string;
  /** `removed`: ANTHROPIC_API_KEY, which Claude Code would send in place of the client key. */
  change: 'replaced' | 'removed';
}

/**
 * `POST /admin/claude-code/settings`: merges the `env` entries into Claude Code's settings file, keeping
 * everything else; the previous file is copied first.
 */
export interface ClaudeCodeWriteResponse {
  settingsPath: string;
  /** Absent when there was no previous file. */
  backupPath?: string;
}

/**
 * The dashboard signs in with a one-time login code (in the URL `kiro-dock serve` prints, or minted by the tray):
 * `POST /admin/session` `{ code }` → a session token used as the admin Bearer token until the proxy stops. The
 * code works once. The run's admin token is accepted in place of a code.
 */
export interface SessionRequest {
  code: string;
}

export interface SessionResponse {
  token: string;
}

/** The dashboard's path on the proxy; the login code travels in the fragment (`#login=CODE`), never to logs. */
export const DASHBOARD_PATH = '/dashboard';
