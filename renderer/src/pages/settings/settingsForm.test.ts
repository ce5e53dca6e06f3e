import { describe, expect, it } from 'vitest';
import { clientKeyInEnvLines, maskedSnippets } from './claudeCodeSnippets.ts';
import {
  bytesToMbText,
  invalidPaths,
  isLoopbackHost,
  mbToBytes,
  parseDecimal,
  secondsToMs,
} from './settingsForm.ts';

describe('settings form values', () => {
  it('reads numbers the user typed, refusing what is not one', () => {
    expect(parseDecimal(' 2.5 ')).toBe(2.5);
    expect(parseDecimal('')).toBeUndefined();
    expect(parseDecimal('abc')).toBeUndefined();
    expect(parseDecimal('1e999')).toBeUndefined();
    expect(secondsToMs(0.0125)).toBe(13);
    expect(mbToBytes(32)).toBe(33_554_432);
    expect(bytesToMbText(33_554_432)).toBe('32');
    expect(bytesToMbText(1_500_000)).toBe('1.43');
  });

  it('finds the fields a server validation message names', () => {
    const paths = invalidPaths(
      'Invalid request: listen.port: Too big; timeouts.idleMs: must be at least 50 ms',
    );
    expect(paths.has('listen.port')).toBe(true);
    expect(paths.has('timeouts.idleMs')).toBe(true);
    expect(paths.has('listen.host')).toBe(false);
    expect(invalidPaths(undefined).size).toBe(0);
  });

  it('tells loopback hosts from exposed ones', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com'])
      expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('Claude Code snippets', () => {
  it('finds the key in the shell lines, undoing POSIX quoting', () => {
    expect(
      clientKeyInEnvLines(['export ANTHROPIC_BASE_URL=http://x', 'export ANTHROPIC_AUTH_TOKEN=kd-abc']),
    ).toBe('kd-abc');
    expect(clientKeyInEnvLines([`export ANTHROPIC_AUTH_TOKEN='it'\\''s secret'`])).toBe("it's secret");
    expect(clientKeyInEnvLines(['export ANTHROPIC_BASE_URL=http://x'])).toBeUndefined();
  });

  it('replaces every occurrence of the key with its preview', () => {
    const shown = maskedSnippets(
      {
        baseUrl: 'http://127.0.0.1:8765',
        envLines: ['export ANTHROPIC_AUTH_TOKEN=kd-secret1234'],
        settingsSnippet: '{ "env": { "ANTHROPIC_AUTH_TOKEN": "kd-secret1234" } }',
        settingsPath: '/home/me/.claude/settings.json',
        settingsFileExists: false,
        configured: false,
      },
      'kd-…1234',
    );
    expect(shown.envText).toBe('export ANTHROPIC_AUTH_TOKEN=kd-…1234');
    expect(shown.settingsText).toBe('{ "env": { "ANTHROPIC_AUTH_TOKEN": "kd-…1234" } }');
  });
});
