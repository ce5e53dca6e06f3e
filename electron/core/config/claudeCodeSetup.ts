/**
 * What Claude Code needs to use this proxy, shown and written for the user: `ANTHROPIC_BASE_URL` (the proxy's
 * URL) and `ANTHROPIC_AUTH_TOKEN` (the client key, sent as `Authorization: Bearer`, which the proxy accepts;
 * unlike `ANTHROPIC_API_KEY` it does not make interactive Claude Code ask whether to trust a custom key).
 *
 * Writing merges those two into the settings file's `env` and keeps every other entry, with one exception: an
 * `env.ANTHROPIC_API_KEY` is removed. Claude Code would send it as `x-api-key` to this proxy, which checks that
 * header first, so a stale key would break every request (and a real Anthropic key has no business going to a
 * local proxy). The backup keeps the removed value.
 */
import fs from 'node:fs/promises';
import type {
  ClaudeCodeEnvChange,
  ClaudeCodeSetupView,
  ClaudeCodeWriteResponse,
} from '../../../shared/adminApi.ts';
import { readClaudeSettings, replaceClaudeSettings, type ClaudeSettings } from './claudeSettingsFile.ts';
import type { ListenAddress } from './storedSettings.ts';

export interface ClaudeCodeTarget {
  settingsPath: string;
  baseUrl: string;
  clientKey: string;
}

export async function claudeCodeSetupView(target: ClaudeCodeTarget): Promise<ClaudeCodeSetupView> {
  const env = envFor(target);
  const settings = await readClaudeSettings(target.settingsPath).catch(() => undefined);
  const exists = settings !== undefined || (await fileExists(target.settingsPath));
  return {
    baseUrl: target.baseUrl,
    envLines: Object.entries(env).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    settingsSnippet: JSON.stringify({ env }, null, 2),
    settingsPath: target.settingsPath,
    settingsFileExists: exists,
    configured: settings !== undefined && isConfigured(settings, target),
    ...(settings !== undefined && staleFields(settings, target)),
  };
}

/** Whether the file points here with an old key, and which entries writing would replace or remove. */
function staleFields(settings: ClaudeSettings, target: ClaudeCodeTarget): Partial<ClaudeCodeSetupView> {
  const env = settings.env ?? {};
  const wanted = envFor(target);
  const replaces: ClaudeCodeEnvChange[] = [];
  for (const [name, value] of Object.entries(wanted)) {
    const current = env[name];
    if (current !== undefined && current !== value) {
      replaces.push({ name, current: shownValue(name, current), change: 'replaced' });
    }
  }
  const apiKey = env['ANTHROPIC_API_KEY'];
  if (apiKey !== undefined) {
    replaces.push({
      name: 'ANTHROPIC_API_KEY',
      current: shownValue('ANTHROPIC_API_KEY', apiKey),
      change: 'removed',
    });
  }
  const pointsHere = env['ANTHROPIC_BASE_URL'] === target.baseUrl;
  const staleKey = pointsHere && !isConfigured(settings, target);
  return { ...(staleKey && { staleKey }), ...(replaces.length > 0 && { replaces }) };
}

/** A URL as it is; a key only as its first and last characters, enough to recognise, never to use. */
function shownValue(name: string, value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (!/KEY|TOKEN/.test(name)) return text;
  return text.length >= 16 ? `${text.slice(0, 6)}…${text.slice(-4)}` : '…';
}

/** Throws ClaudeSettingsFileError (nothing written) when the present file cannot be read as a JSON object. */
export async function writeClaudeCodeSettings(
  target: ClaudeCodeTarget,
  now: Date,
): Promise<ClaudeCodeWriteResponse> {
  const settings = (await readClaudeSettings(target.settingsPath)) ?? {};
  const { ANTHROPIC_API_KEY: _overridden, ...kept } = settings.env ?? {};
  const merged: ClaudeSettings = { ...settings, env: { ...kept, ...envFor(target) } };
  const { backupPath } = await replaceClaudeSettings(target.settingsPath, merged, now);
  return { settingsPath: target.settingsPath, ...(backupPath && { backupPath }) };
}

/** The URL clients on this machine reach the proxy at: a wildcard address is reached through loopback. */
export function proxyBaseUrl(address: ListenAddress): string {
  const host = address.host === '0.0.0.0' ? '127.0.0.1' : address.host === '::' ? '::1' : address.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

function envFor(target: ClaudeCodeTarget): Record<string, string> {
  return { ANTHROPIC_BASE_URL: target.baseUrl, ANTHROPIC_AUTH_TOKEN: target.clientKey };
}

/** Points at this proxy, and every key Claude Code would send is the current one. */
function isConfigured(settings: ClaudeSettings, target: ClaudeCodeTarget): boolean {
  const env = settings.env ?? {};
  const keys = [env['ANTHROPIC_AUTH_TOKEN'], env['ANTHROPIC_API_KEY']].filter((key) => key !== undefined);
  return (
    env['ANTHROPIC_BASE_URL'] === target.baseUrl &&
    keys.length > 0 &&
    keys.every((key) => key === target.clientKey)
  );
}

/** Plain values stay readable; anything else is single-quoted for POSIX shells. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

function fileExists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}
