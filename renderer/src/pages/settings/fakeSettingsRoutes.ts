/**
 * The settings, client-key and Claude Code routes of the admin API for the settings page's component tests,
 * answering as the core does (a PATCH is validated as a whole; the regenerated key replaces the old one).
 */
import type { ClaudeCodeSetupView, SettingsPatch, SettingsView } from '../../../../shared/adminApi.ts';
import type { FakeAdminApi } from '../../testing/fakeAdminApi.ts';

export const KEY = 'kd-0123456789abcdefabcd';
export const NEW_KEY = 'kd-fedcba9876543210wxyz';

/** The settings routes as the core answers them: a patch is merged, validated as a whole, and reported. */
export function serveSettingsRoutes(api: FakeAdminApi) {
  const keys = { current: KEY };
  api.override('PATCH', '/admin/settings', (call) => {
    const patch = call.body as SettingsPatch;
    const port = patch.listen?.port;
    if (port !== undefined && port > 65_535)
      return {
        status: 400,
        body: { error: { message: 'Invalid request: listen.port: Too big: expected number to be <=65535' } },
      };
    api.state.settings = mergeSettings(api.state.settings, patch);
    const restartRequired = patch.listen ? ['listen'] : [];
    return { status: 200, body: { settings: api.state.settings, restartRequired } };
  });
  serveClaudeCodeRoutes(api, keys);
  api.override('POST', '/admin/client-key/reveal', () => ({ status: 200, body: { key: keys.current } }));
  api.override('POST', '/admin/client-key/regenerate', () => {
    keys.current = NEW_KEY;
    api.state.settings = { ...api.state.settings, clientKeyPreview: 'kd-…wxyz' };
    return { status: 200, body: { key: NEW_KEY } };
  });
  return keys;
}

export const CLAUDE_SETTINGS = '/home/me/.claude/settings.json';
export const CLAUDE_BACKUP = '/home/me/.claude/settings.json.2026-11-28T09-30-00.bak';

/**
 * Claude Code's setup as the core describes it: configured once the settings file was written, stale once the
 * key it holds was regenerated.
 */
function serveClaudeCodeRoutes(api: FakeAdminApi, keys: { current: string }) {
  let writtenKey: string | undefined;
  api.override('GET', '/admin/claude-code', () => {
    const env = { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8765', ANTHROPIC_AUTH_TOKEN: keys.current };
    const body: ClaudeCodeSetupView = {
      baseUrl: env.ANTHROPIC_BASE_URL,
      envLines: Object.entries(env).map(([name, value]) => `export ${name}=${value}`),
      settingsSnippet: JSON.stringify({ env }, null, 2),
      settingsPath: CLAUDE_SETTINGS,
      settingsFileExists: true,
      configured: writtenKey === keys.current,
      ...(writtenKey !== undefined &&
        writtenKey !== keys.current && {
          staleKey: true,
          replaces: [{ name: 'ANTHROPIC_AUTH_TOKEN', current: 'kd-012…abcd', change: 'replaced' as const }],
        }),
      ...(writtenKey === undefined && {
        replaces: [{ name: 'ANTHROPIC_API_KEY', current: 'sk-ant…wxyz', change: 'removed' as const }],
      }),
    };
    return { status: 200, body };
  });
  api.override('POST', '/admin/claude-code/settings', () => {
    writtenKey = keys.current;
    return { status: 200, body: { settingsPath: CLAUDE_SETTINGS, backupPath: CLAUDE_BACKUP } };
  });
}

function mergeSettings(settings: SettingsView, patch: SettingsPatch): SettingsView {
  return {
    ...settings,
    ...patch,
    listen: { ...settings.listen, ...patch.listen },
    timeouts: { ...settings.timeouts, ...patch.timeouts },
    responseCache: { ...settings.responseCache, ...patch.responseCache },
  };
}
