// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { DesktopBridge } from '../../../shared/desktopBridge.ts';
import { defaultSettings, type FakeAdminApi } from '../testing/fakeAdminApi.ts';
import { renderDashboard } from '../testing/renderDashboard.tsx';
import {
  CLAUDE_BACKUP,
  CLAUDE_SETTINGS,
  KEY,
  NEW_KEY,
  serveSettingsRoutes,
} from './settings/fakeSettingsRoutes.ts';

afterEach(() => {
  cleanup();
  delete (window as { kiroDockDesktop?: DesktopBridge }).kiroDockDesktop;
});

function patches(api: FakeAdminApi): unknown[] {
  return api.calls.filter((call) => call.method === 'PATCH').map((call) => call.body);
}

function calls(api: FakeAdminApi, path: string): number {
  return api.calls.filter((call) => call.method === 'POST' && call.path === path).length;
}

async function openSettings(options: Parameters<typeof renderDashboard>[0] = {}) {
  const user = userEvent.setup();
  const rendered = renderDashboard({ page: 'settings', ...options });
  const keys = serveSettingsRoutes(rendered.api);
  // The sections appear once the settings arrived (the heading shows while they load).
  await screen.findByRole('region', { name: options.language === 'zh' ? '监听地址' : 'Listen address' });
  return { user, api: rendered.api, keys };
}

const region = (name: string) => screen.getByRole('region', { name });

describe('settings page: proxy settings', () => {
  it('saves the listen address, warns about a non-loopback host, and says it applies after a restart', async () => {
    const { user, api } = await openSettings();
    const listen = region('Listen address');
    const host = within(listen).getByLabelText('Host');
    expect(within(listen).getByRole('button', { name: 'Save' })).toHaveProperty('disabled', true);
    await user.clear(host);
    await user.type(host, '0.0.0.0');
    expect(within(listen).getByTestId('listen-exposed-warning').textContent).toContain(
      '0.0.0.0 is not a loopback',
    );
    await user.click(within(listen).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(patches(api)).toEqual([{ listen: { host: '0.0.0.0' } }]));
    expect((await within(listen).findByTestId('listen-restart-notice')).textContent).toBe(
      'Kiro Dock listens on 127.0.0.1:8765; 0.0.0.0:8765 applies after a restart.',
    );
  });

  it('explains a port it cannot use beside the field, and saves nothing', async () => {
    const { user, api } = await openSettings();
    const listen = region('Listen address');
    const port = within(listen).getByLabelText('Port');
    const cases = [
      ['70000', '70000 is not a port: enter a whole number from 1024 to 65535.'],
      ['80', 'Port 80 needs administrator rights on macOS and Linux, so the proxy could not start on it'],
      ['', 'Enter a port number from 1024 to 65535.'],
    ] as const;
    for (const [typed, message] of cases) {
      await user.clear(port);
      if (typed) await user.type(port, typed);
      await user.click(within(listen).getByRole('button', { name: 'Save' }));
      const alert = await within(listen).findByRole('alert');
      expect(alert.textContent).toContain(message);
      expect(alert.textContent).not.toMatch(/Too big|expected number|Invalid request/);
      expect(port.getAttribute('aria-invalid')).toBe('true');
      expect(port.getAttribute('aria-describedby')).toBe(alert.id);
    }
    expect(patches(api)).toEqual([]);
    expect(api.state.settings.listen.port).toBe(8765);
    expect(within(listen).getByText('Unsaved changes')).toBeTruthy();
  });

  it('shows the port it listens on and that --port chose it over the saved one', async () => {
    const { user, api } = await openSettings({
      state: {
        settings: {
          ...defaultSettings(),
          listening: { host: '127.0.0.1', port: 8766 },
          listeningFrom: { host: 'default', port: 'flag' },
        },
      },
    });
    const listen = region('Listen address');
    const effective = within(listen).getByTestId('listen-effective');
    expect(effective.textContent).toBe(
      'Listening now on http://127.0.0.1:8766. The port comes from the --port flag, which wins over the saved setting.',
    );
    expect((within(listen).getByLabelText('Port') as HTMLInputElement).value).toBe('8765');
    // Not "8765 applies after a restart": a restart with the same flag keeps 8766.
    expect(within(listen).getByTestId('listen-restart-notice').textContent).toBe(
      'Saved: 127.0.0.1:8765 applies when the proxy starts without --port, which chose the address it uses now.',
    );
    const port = within(listen).getByLabelText('Port');
    await user.clear(port);
    await user.type(port, '9000');
    await user.click(within(listen).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(patches(api)).toEqual([{ listen: { port: 9000 } }]));
  });

  it('edits timeouts in seconds and sends only the changed ones in milliseconds', async () => {
    const { user, api } = await openSettings();
    const timeouts = region('Upstream timeouts');
    const connect = within(timeouts).getByLabelText('Connect');
    expect((connect as HTMLInputElement).value).toBe('5');
    await user.clear(connect);
    await user.type(connect, '2.5');
    await user.click(within(timeouts).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(patches(api)).toEqual([{ timeouts: { connectMs: 2_500 } }]));
    expect(await within(timeouts).findByText('Saved.')).toBeTruthy();

    await user.clear(within(timeouts).getByLabelText('Idle between events'));
    await user.click(within(timeouts).getByRole('button', { name: 'Save' }));
    expect((await within(timeouts).findByRole('alert')).textContent).toContain('Enter a number of seconds.');
    expect(patches(api)).toHaveLength(1);
  });

  it('shows the response cache off, turns it on at once, and saves its time to live and size with the button', async () => {
    const { user, api } = await openSettings();
    const cache = region('Response cache');
    const enabled = within(cache).getByRole('checkbox', { name: 'Cache identical responses' });
    expect(enabled).toHaveProperty('checked', false);
    await user.click(enabled);
    await waitFor(() => expect(patches(api)).toEqual([{ responseCache: { enabled: true } }]));
    await waitFor(() =>
      expect(within(cache).getByRole('checkbox', { name: 'Cache identical responses' })).toHaveProperty(
        'checked',
        true,
      ),
    );
    expect((within(cache).getByLabelText('Maximum size (MB)') as HTMLInputElement).value).toBe('32');
    await user.clear(within(cache).getByLabelText('Time to live (seconds)'));
    await user.type(within(cache).getByLabelText('Time to live (seconds)'), '300');
    await user.clear(within(cache).getByLabelText('Maximum size (MB)'));
    await user.type(within(cache).getByLabelText('Maximum size (MB)'), '64');
    await user.click(within(cache).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(patches(api)[1]).toEqual({ responseCache: { ttlSeconds: 300, maxBytes: 64 * 1_048_576 } }),
    );
  });

  it('includes tools and sampling in the response cache only when asked, and says what that means', async () => {
    const { user, api } = await openSettings();
    const cache = region('Response cache');
    const include = within(cache).getByRole('checkbox', {
      name: 'Also cache requests with tools or sampling',
    });
    expect(include).toHaveProperty('checked', false);
    expect(document.getElementById(include.getAttribute('aria-describedby')!)?.textContent).toContain(
      'temperature above 0',
    );
    await user.click(include);
    await waitFor(() => expect(patches(api)).toEqual([{ responseCache: { includeToolsAndSampling: true } }]));
    await waitFor(() => expect(api.state.settings.responseCache.includeToolsAndSampling).toBe(true));
    await waitFor(() =>
      expect(
        within(cache).getByRole('checkbox', { name: 'Also cache requests with tools or sampling' }),
      ).toHaveProperty('checked', true),
    );
  });

  it('saves the pool strategy, log level and switches as soon as they change', async () => {
    const { user, api } = await openSettings();
    const behaviour = region('Behaviour');
    await user.selectOptions(within(behaviour).getByLabelText('Strategy'), 'round-robin');
    await waitFor(() => expect(patches(api)).toHaveLength(1));
    await user.selectOptions(within(behaviour).getByLabelText('Log level'), 'debug');
    await waitFor(() => expect(patches(api)).toHaveLength(2));
    await user.click(within(behaviour).getByRole('checkbox', { name: 'Record prompts in the requests log' }));
    await waitFor(() => expect(patches(api)).toHaveLength(3));
    await user.click(
      within(behaviour).getByRole('checkbox', { name: 'Write refreshed tokens back to the Kiro IDE' }),
    );
    await waitFor(() => expect(patches(api)).toHaveLength(4));
    await user.click(
      within(behaviour).getByRole('checkbox', { name: 'Serve /metrics without the admin token' }),
    );
    await waitFor(() =>
      expect(patches(api)).toEqual([
        { poolStrategy: 'round-robin' },
        { logLevel: 'debug' },
        { capturePrompts: true },
        { ideWriteBack: false },
        { metricsPublic: true },
      ]),
    );
    expect(
      within(behaviour).getByRole('checkbox', { name: 'Record prompts in the requests log' }),
    ).toHaveProperty('checked', true);
  });
});

describe('settings page: client key', () => {
  it('shows the preview, reveals and copies the key on demand', async () => {
    const { user, api } = await openSettings();
    const section = region('Client key');
    expect(within(section).getByTestId('client-key').textContent).toBe('kd-…abcd');
    expect(calls(api, '/admin/client-key/reveal')).toBe(0);
    await user.click(within(section).getByRole('button', { name: 'Reveal' }));
    await waitFor(() => expect(within(section).getByTestId('client-key').textContent).toBe(KEY));
    expect(calls(api, '/admin/client-key/reveal')).toBe(1);
    await user.click(within(section).getByRole('button', { name: 'Hide' }));
    expect(within(section).getByTestId('client-key').textContent).toBe('kd-…abcd');
    await user.click(within(section).getByRole('button', { name: 'Copy key' }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toBe(KEY));
  });

  it('regenerates only after a confirmation that warns old clients stop working', async () => {
    const { user, api } = await openSettings();
    const section = region('Client key');
    await user.click(within(section).getByRole('button', { name: 'Regenerate' }));
    let dialog = screen.getByRole('dialog', { name: 'Regenerate the client key?' });
    expect(dialog.textContent).toContain('The current key stops working at once');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls(api, '/admin/client-key/regenerate')).toBe(0);

    await user.click(within(section).getByRole('button', { name: 'Regenerate' }));
    dialog = screen.getByRole('dialog', { name: 'Regenerate the client key?' });
    await user.click(within(dialog).getByRole('button', { name: 'Regenerate key' }));
    await waitFor(() => expect(within(section).getByTestId('client-key').textContent).toBe(NEW_KEY));
    expect(calls(api, '/admin/client-key/regenerate')).toBe(1);
    await user.click(within(section).getByRole('button', { name: 'Hide' }));
    await waitFor(() => expect(within(section).getByTestId('client-key').textContent).toBe('kd-…wxyz'));
  });

  it('shows why a key from the environment cannot be regenerated', async () => {
    const { user, api } = await openSettings();
    const message =
      'The client key is set by the KIRO_DOCK_API_KEY environment variable, so it cannot be regenerated here.';
    api.override('POST', '/admin/client-key/regenerate', () => ({
      status: 409,
      body: { error: { message } },
    }));
    const section = region('Client key');
    await user.click(within(section).getByRole('button', { name: 'Regenerate' }));
    await user.click(screen.getByRole('button', { name: 'Regenerate key' }));
    expect((await within(section).findByRole('alert')).textContent).toContain(message);
    expect(within(section).getByTestId('client-key').textContent).toBe('kd-…abcd');
  });
});

describe('settings page: Claude Code', () => {
  it('shows the lines with the key hidden, and copies them with the key', async () => {
    const { user } = await openSettings();
    const panel = region('Claude Code');
    const env = await within(panel).findByTestId('claude-code-env');
    expect(env.textContent).toContain('export ANTHROPIC_AUTH_TOKEN=kd-…abcd');
    expect(panel.textContent).not.toContain(KEY);
    // A new key changes the lines: the panel reads them again.
    await user.click(screen.getByRole('button', { name: 'Regenerate' }));
    await user.click(screen.getByRole('button', { name: 'Regenerate key' }));
    await waitFor(() => expect(env.textContent).toContain('export ANTHROPIC_AUTH_TOKEN=kd-…wxyz'));
    expect(env.textContent).toContain('export ANTHROPIC_BASE_URL=http://127.0.0.1:8765');
    expect(within(panel).getByTestId('claude-code-settings-snippet').textContent).toContain(
      '"ANTHROPIC_AUTH_TOKEN": "kd-…wxyz"',
    );
    expect(panel.textContent).not.toContain(NEW_KEY);
    expect(within(panel).getByTestId('claude-code-status').textContent).toBe(
      'Claude Code is not set up for this proxy yet.',
    );
    await user.click(within(panel).getByRole('button', { name: 'Copy shell lines' }));
    await waitFor(async () =>
      expect(await navigator.clipboard.readText()).toBe(
        `export ANTHROPIC_BASE_URL=http://127.0.0.1:8765\nexport ANTHROPIC_AUTH_TOKEN=${NEW_KEY}`,
      ),
    );
    await user.click(within(panel).getByRole('button', { name: 'Copy settings.json snippet' }));
    await waitFor(async () =>
      expect(await navigator.clipboard.readText()).toContain(`"ANTHROPIC_AUTH_TOKEN": "${NEW_KEY}"`),
    );
  });

  it('writes Claude Code’s settings after a confirmation naming the file, and shows the backup', async () => {
    const { user, api } = await openSettings();
    const panel = region('Claude Code');
    await within(panel).findByTestId('claude-code-env');
    await user.click(within(panel).getByRole('button', { name: 'Write Claude Code settings' }));
    const dialog = screen.getByRole('dialog', { name: 'Write Claude Code settings?' });
    expect(dialog.textContent).toContain(CLAUDE_SETTINGS);
    expect(dialog.textContent).toContain('A backup of the current file is made first.');
    // The user's own ANTHROPIC_API_KEY does not vanish unannounced.
    expect(within(dialog).getByTestId('claude-code-replaces').textContent).toBe(
      'ANTHROPIC_API_KEY now sk-ant…wxyz: removed (Claude Code would send it in place of the client key, and the proxy would refuse it)',
    );
    expect(calls(api, '/admin/claude-code/settings')).toBe(0);
    await user.click(within(dialog).getByRole('button', { name: 'Write settings' }));
    const done = await within(panel).findByTestId('claude-code-written');
    expect(done.textContent).toContain('Claude Code settings written to /home/me/.claude/settings.json.');
    expect(done.textContent).toContain(`The previous file was saved as ${CLAUDE_BACKUP}.`);
    expect(calls(api, '/admin/claude-code/settings')).toBe(1);
    await waitFor(() =>
      expect(within(panel).getByTestId('claude-code-status').getAttribute('data-configured')).toBe('true'),
    );
  });
});

describe('settings page: dashboard and language', () => {
  it('offers launch at login only in the desktop app', async () => {
    await openSettings();
    expect(screen.queryByRole('checkbox', { name: 'Launch Kiro Dock at login' })).toBeNull();
    cleanup();

    const requested: boolean[] = [];
    (window as { kiroDockDesktop?: DesktopBridge }).kiroDockDesktop = {
      getLaunchAtLogin: () => Promise.resolve(false),
      setLaunchAtLogin: (enabled) => {
        requested.push(enabled);
        return Promise.resolve(enabled);
      },
      openExternal: () => Promise.resolve(false),
      setLanguage: () => Promise.resolve(),
    };
    const { user } = await openSettings();
    const toggle = await screen.findByRole('checkbox', { name: 'Launch Kiro Dock at login' });
    await waitFor(() => expect(toggle).toHaveProperty('disabled', false));
    await user.click(toggle);
    await waitFor(() => expect(toggle).toHaveProperty('checked', true));
    expect(requested).toEqual([true]);
  });

  it('switches the dashboard to Chinese and speaks it, and tells the desktop app for its tray', async () => {
    const languages: string[] = [];
    (window as { kiroDockDesktop?: DesktopBridge }).kiroDockDesktop = {
      getLaunchAtLogin: () => Promise.resolve(false),
      setLaunchAtLogin: (enabled) => Promise.resolve(enabled),
      openExternal: () => Promise.resolve(false),
      setLanguage: (language) => {
        languages.push(language);
        return Promise.resolve();
      },
    };
    const { user } = await openSettings();
    await waitFor(() => expect(languages).toEqual(['en']));
    await user.selectOptions(screen.getByLabelText('Dashboard language'), 'zh');
    await waitFor(() => expect(languages).toEqual(['en', 'zh']));
    expect(await screen.findByRole('heading', { level: 1, name: '设置' })).toBeTruthy();
    expect(localStorage.getItem('kiro-dock.language')).toBe('zh');
    expect(screen.getByRole('region', { name: '客户端密钥' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: '写入 Claude Code 设置' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: '在请求日志中记录提示词' })).toBeTruthy();
  });

  it('shows the same language as the header switch, whichever of the two changed it', async () => {
    const { user } = await openSettings();
    const header = () => screen.getByRole('combobox', { name: /^(Language|语言)$/ }) as HTMLSelectElement;
    const settings = () =>
      screen.getByRole('combobox', { name: /^(Dashboard language|控制台语言)$/ }) as HTMLSelectElement;
    await user.selectOptions(header(), 'zh');
    await waitFor(() => expect(settings().value).toBe('zh'));
    await user.selectOptions(settings(), 'en');
    await waitFor(() => expect(header().value).toBe('en'));
    expect(localStorage.getItem('kiro-dock.language')).toBe('en');
  });

  it('after a new key says the written settings are stale, and rewrites them with the current key', async () => {
    const { user, api } = await openSettings();
    const panel = region('Claude Code');
    await within(panel).findByTestId('claude-code-env');
    await user.click(within(panel).getByRole('button', { name: 'Write Claude Code settings' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Write settings' }));
    const status = within(panel).getByTestId('claude-code-status');
    await waitFor(() => expect(status.getAttribute('data-configured')).toBe('true'));

    await user.click(screen.getByRole('button', { name: 'Regenerate' }));
    await user.click(screen.getByRole('button', { name: 'Regenerate key' }));
    await waitFor(() => expect(status.getAttribute('data-stale')).toBe('true'));
    expect(status.textContent).toBe(
      `${CLAUDE_SETTINGS} points at this proxy with an old client key (from before the key was regenerated): Claude Code’s requests are refused until it is rewritten.`,
    );
    await user.click(within(panel).getByRole('button', { name: 'Rewrite with the current key' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByTestId('claude-code-replaces').textContent).toBe(
      'ANTHROPIC_AUTH_TOKEN now kd-012…abcd: replaced',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Write settings' }));
    await waitFor(() => expect(status.getAttribute('data-configured')).toBe('true'));
    expect(calls(api, '/admin/claude-code/settings')).toBe(2);
  });
});
