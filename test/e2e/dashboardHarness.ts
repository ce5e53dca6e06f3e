/**
 * Everything the dashboard's browser tests run against, all real: the Kiro emulator with a few accounts added
 * through `kiro-dock accounts add`, the `kiro-dock serve` process on the same data folder, and Chromium. The
 * tests sign in only through the link serve prints, like a user.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { runAccounts } from '../../electron/accountsCommand.ts';
import { ADMIN_API_PREFIX } from '../../shared/adminApi.ts';
import { startKiroEmulator, type EmulatorOptions, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { ensureDashboardBuilt } from './ensureDashboardBuilt.ts';
import { startKiroDockProcess, type KiroDockProcess } from './kiroDockProcess.ts';
import { launchChromium } from './launchChromium.ts';
import { createProxyTraffic, type ProxyTraffic } from './proxyTraffic.ts';

export const E2E_CLIENT_KEY = 'kd-e2e-client-key';
/** Lets the tests arrange and check state beside the browser; the browser itself never sees it. */
export const E2E_ADMIN_TOKEN = 'kda-e2e-admin-token';

export interface AccountSpec {
  label: string;
  /** Monthly credits the emulator grants and how many are used already. */
  credits: { limit: number; used: number };
}

export interface E2eAccount extends AccountSpec {
  /** Kiro Dock's id (`acc_…`). */
  id: string;
  /** The emulator's id of the same login: its request log names it. */
  emulatorId: string;
  refreshToken: string;
}

export interface DashboardHarness {
  emulator: KiroEmulator;
  kiroDock: KiroDockProcess;
  accounts: E2eAccount[];
  /** The CLAUDE_CONFIG_DIR serve was given: the dashboard writes Claude Code's settings.json here. */
  claudeConfigDir: string;
  browser: BrowserContext;
  traffic: ProxyTraffic;
  /** Calls the admin API with the run's admin token; throws on a non-2xx answer. */
  admin<T>(method: string, route: string, body?: unknown): Promise<T>;
  /** The emulator accounts that served chat requests since `from` (an index into its request log). */
  servedBy(from: number): string[];
  close(): Promise<void>;
}

export interface DashboardHarnessOptions {
  accounts: AccountSpec[];
  emulator?: EmulatorOptions;
}

export async function startDashboardHarness(options: DashboardHarnessOptions): Promise<DashboardHarness> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    // Browser first: its live event stream would otherwise keep serve draining.
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    await ensureDashboardBuilt();
    // Refresh tokens that do not rotate: a test can revoke the one it added and know it is the live one.
    const emulator = await startKiroEmulator({
      strict: true,
      rotateRefreshTokens: false,
      ...options.emulator,
    });
    cleanups.push(() => emulator.close());
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-e2e-data-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const accounts: E2eAccount[] = [];
    for (const spec of options.accounts) accounts.push(await addAccount(emulator, dataDir, spec));

    const claudeConfigDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-e2e-claude-'));
    cleanups.push(() => fs.rm(claudeConfigDir, { recursive: true, force: true }));
    const kiroDock = await startKiroDockProcess({
      dataDir,
      claudeConfigDir,
      upstreamUrl: emulator.url,
      clientKey: E2E_CLIENT_KEY,
      adminToken: E2E_ADMIN_TOKEN,
    });
    cleanups.push(() => kiroDock.stop());
    const profileDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-e2e-chromium-'));
    cleanups.push(() => fs.rm(profileDir, { recursive: true, force: true }));
    const browser = await launchChromium(profileDir);
    cleanups.push(() => browser.close());

    return {
      emulator,
      kiroDock,
      accounts,
      claudeConfigDir,
      browser,
      traffic: createProxyTraffic(kiroDock.url, E2E_CLIENT_KEY),
      admin: (method, route, body) => adminCall(kiroDock.url, method, route, body),
      servedBy: (from) =>
        emulator.requests
          .slice(from)
          .filter((entry) => entry.operation === 'generateAssistantResponse' && entry.status === 200)
          .map((entry) => entry.accountId ?? '?'),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Through the accounts CLI on serve's data folder, as a user adds a login before starting serve. */
async function addAccount(emulator: KiroEmulator, dataDir: string, spec: AccountSpec): Promise<E2eAccount> {
  const login = emulator.createSocialAccount();
  emulator.setCredits(login.accountId, spec.credits.limit, spec.credits.used);
  const out: string[] = [];
  const code = await runAccounts(
    [
      'add',
      '--refresh-token',
      login.refreshToken,
      '--label',
      spec.label,
      '--data-dir',
      dataDir,
      '--secret-store',
      'file',
    ],
    (line) => out.push(line),
    { ...process.env, KIRO_DOCK_UPSTREAM_URL: emulator.url },
  );
  const id = /^Added (acc_\w+) /.exec(out.join('\n'))?.[1];
  if (code !== 0 || !id) throw new Error(`kiro-dock accounts add failed: ${out.join('\n')}`);
  // The check at add refreshed the login, and Kiro rotates refresh tokens.
  const refreshToken = emulator.currentRefreshToken(login.accountId);
  return { ...spec, id, emulatorId: login.accountId, refreshToken };
}

async function adminCall<T>(baseUrl: string, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${ADMIN_API_PREFIX}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${E2E_ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
