/**
 * The typed client of the core's admin API (shared/adminApi.ts). Every call sends the session token as the admin
 * Bearer token; a 401 means the session ended (the proxy restarted), which the caller turns into the sign-in page.
 */
import type {
  AccountView,
  AddAccountRequest,
  AdminErrorBody,
  ClaudeCodeSetupView,
  ClaudeCodeWriteResponse,
  ClientKeyResponse,
  HealthResponse,
  ImportAccountsResponse,
  ImportSource,
  ListAccountsResponse,
  PoolStrategy,
  RecentRequestsResponse,
  SessionResponse,
  SettingsPatch,
  SettingsPatchResponse,
  SettingsView,
  StatsResponse,
  StatsWindow,
  UpdateAccountRequest,
} from '../../../shared/adminApi.ts';
import type {
  CreateClientKeyBody,
  CreatedClientKeyResponse,
  ListClientKeysResponse,
  UsageQuery,
  UsageSummary,
} from '../../../shared/teamApi.ts';
import type { SignInSessionView, StartSignInRequest } from '../../../shared/signInApi.ts';
import type { BatchImportView } from '../../../shared/batchImportApi.ts';

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The parsed error body, for answers that carry more than a message (a failed refresh carries the account). */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

export interface AdminClientOptions {
  /** The current session token; undefined before sign-in. */
  token(): string | undefined;
  /** Called on every 401 from an authenticated call. */
  onUnauthorized?(): void;
  fetch?: typeof fetch;
  /** Origin of the proxy; '' (default) is the page's own origin. */
  baseUrl?: string;
}

export type AdminClient = ReturnType<typeof createAdminClient>;

export function createAdminClient(options: AdminClientOptions) {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function call<T>(method: string, path: string, body?: unknown, authenticated = true): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = options.token();
    if (authenticated && token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new AdminApiError('Kiro Dock is not reachable: is the proxy running?', 0);
    }
    const parsed: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      if (response.status === 401 && authenticated) options.onUnauthorized?.();
      const message =
        (parsed as AdminErrorBody | undefined)?.error?.message ?? `Kiro Dock answered ${response.status}.`;
      throw new AdminApiError(message, response.status, parsed);
    }
    return parsed as T;
  }

  const id = (accountId: string) => encodeURIComponent(accountId);

  return {
    signIn: (code: string) => call<SessionResponse>('POST', '/admin/session', { code }, false),
    health: () => call<HealthResponse>('GET', '/health', undefined, false),
    listAccounts: () => call<ListAccountsResponse>('GET', '/admin/accounts'),
    addAccount: (request: AddAccountRequest) => call<AccountView>('POST', '/admin/accounts', request),
    importAccounts: (from: ImportSource) =>
      call<ImportAccountsResponse>('POST', '/admin/accounts/import', { from }),
    updateAccount: (accountId: string, patch: UpdateAccountRequest) =>
      call<AccountView>('PATCH', `/admin/accounts/${id(accountId)}`, patch),
    removeAccount: (accountId: string) => call<unknown>('DELETE', `/admin/accounts/${id(accountId)}`),
    refreshAccount: (accountId: string) =>
      call<AccountView>('POST', `/admin/accounts/${id(accountId)}/refresh`),
    setStrategy: (strategy: PoolStrategy) => call<unknown>('PUT', '/admin/pool/strategy', { strategy }),
    stats: (window: StatsWindow) => call<StatsResponse>('GET', `/admin/stats?window=${window}`),
    recentRequests: (limit = 200) => call<RecentRequestsResponse>('GET', `/admin/requests?limit=${limit}`),
    settings: () => call<SettingsView>('GET', '/admin/settings'),
    patchSettings: (patch: SettingsPatch) => call<SettingsPatchResponse>('PATCH', '/admin/settings', patch),
    revealClientKey: () => call<ClientKeyResponse>('POST', '/admin/client-key/reveal'),
    regenerateClientKey: () => call<ClientKeyResponse>('POST', '/admin/client-key/regenerate'),
    claudeCodeSetup: () => call<ClaudeCodeSetupView>('GET', '/admin/claude-code'),
    writeClaudeCodeSettings: () => call<ClaudeCodeWriteResponse>('POST', '/admin/claude-code/settings'),
    listKeys: () => call<ListClientKeysResponse>('GET', '/admin/keys'),
    createKey: (request: CreateClientKeyBody) =>
      call<CreatedClientKeyResponse>('POST', '/admin/keys', request),
    revokeKey: (keyId: string) => call<unknown>('DELETE', `/admin/keys/${encodeURIComponent(keyId)}`),
    usage: (query: Pick<UsageQuery, 'since' | 'by' | 'bucket'>) =>
      call<UsageSummary>('GET', `/admin/usage?since=${query.since}&by=${query.by}&bucket=${query.bucket}`),
    startSignIn: (request: StartSignInRequest) => call<SignInSessionView>('POST', '/admin/sign-in', request),
    signInSession: (sessionId: string) => call<SignInSessionView>('GET', `/admin/sign-in/${id(sessionId)}`),
    completeSignIn: (sessionId: string, redirectedUrl: string) =>
      call<SignInSessionView>('POST', `/admin/sign-in/${id(sessionId)}/complete`, { redirectedUrl }),
    startBatchImport: (text: string) => call<BatchImportView>('POST', '/admin/accounts/batch', { text }),
    batchImport: (importId: string) => call<BatchImportView>('GET', `/admin/accounts/batch/${id(importId)}`),
    cancelSignIn: (sessionId: string) => call<SignInSessionView>('DELETE', `/admin/sign-in/${id(sessionId)}`),
  };
}
