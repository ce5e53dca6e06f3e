/**
 * What a user of the real Claude Code CLI (@anthropic-ai/claude-code) reads when Kiro Dock cannot serve: the
 * reason itself, at once — not "Repeated 529 Overloaded errors" (what a 529 shows), nor minutes of silent retries
 * (what a retryable 503 or 401 gets).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { RecentRequestsResponse } from '../../shared/adminApi.ts';
import { adminRequest } from './adminHttp.ts';
import { CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

const CLAUDE = path.resolve('node_modules/.bin/claude');
let proxy: ProxyHarness | undefined;
let home: string;

beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'claude-errors-home-'));
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

/** `claude -p`, as a user runs it: its exit status and everything it printed. */
function claude(url: string, key: string): Promise<{ code: number; output: string }> {
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    TERM: 'dumb',
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: key,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
  };
  return new Promise((resolve) => {
    execFile(CLAUDE, ['-p', 'hi'], { cwd: home, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

async function messageRequests(url: string) {
  const log = (await adminRequest(url, 'GET', '/admin/requests')).json<RecentRequestsResponse>();
  return { log, messages: log.requests.filter((entry) => entry.route === '/v1/messages') };
}

describe('Claude Code when Kiro Dock cannot serve', () => {
  it('with no Kiro account, prints the reason after one request', async () => {
    proxy = await startProxyHarness({ noAccount: true });
    const result = await claude(proxy.url, CLIENT_KEY);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/API Error: 503 No Kiro account is configured: sign in to Kiro IDE/);
    expect(result.output).not.toMatch(/529|Overloaded|at capacity/i);
    const { messages } = await messageRequests(proxy.url);
    expect(messages.map((entry) => entry.status)).toEqual([503]);
  }, 90_000);

  it('with a wrong client key, says it failed to authenticate and why, and the proxy records it', async () => {
    proxy = await startProxyHarness();
    const result = await claude(proxy.url, 'kd-a-stale-key-from-before-regenerate');
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(
      /API Error: 401 Invalid or revoked client key\. The default key is printed by `kiro-dock serve`/,
    );
    const { log, messages } = await messageRequests(proxy.url);
    expect(messages.map((entry) => [entry.status, entry.clientKey])).toEqual([[401, 'unknown']]);
    expect(log.refusedClientKeys.unknown).toBe(1);
  }, 90_000);
});
