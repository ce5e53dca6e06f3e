// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderDashboard } from '../../testing/renderDashboard.tsx';
import { codexConfigToml, codexKeyLine } from './codexSnippets.ts';
import { KEY, serveSettingsRoutes } from './fakeSettingsRoutes.ts';

afterEach(cleanup);

describe('Codex CLI panel', () => {
  it('shows the config.toml for the listening address and copies the key line with the full key', async () => {
    const user = userEvent.setup();
    const rendered = renderDashboard({ page: 'settings' });
    serveSettingsRoutes(rendered.api);
    const panel = await screen.findByRole('region', { name: 'Codex CLI' });
    const config = within(panel).getByTestId('codex-config').textContent ?? '';
    expect(config).toContain('wire_api = "responses"');
    expect(config).toMatch(/base_url = "http:\/\/127\.0\.0\.1:\d+\/v1"/);
    expect(config).toContain('env_key = "KIRO_DOCK_API_KEY"');
    // The key is not on screen, only its preview.
    expect(within(panel).getByTestId('codex-key-line').textContent).not.toContain(KEY);
    await user.click(within(panel).getByRole('button', { name: 'Copy shell line' }));
    await waitFor(async () =>
      expect(await navigator.clipboard.readText()).toBe(`export KIRO_DOCK_API_KEY='${KEY}'`),
    );
  });
});

describe('Codex snippets', () => {
  it('quote the key for POSIX shells', () => {
    expect(codexKeyLine(`it's`)).toBe(`export KIRO_DOCK_API_KEY='it'\\''s'`);
    expect(codexConfigToml('[::1]:8765')).toContain('base_url = "http://[::1]:8765/v1"');
  });
});
