/**
 * A real Kiro Dock (createCore + listen on 127.0.0.1:0) in front of a real emulator, with the IDE login file
 * in a temporary folder — the same wiring `kiro-dock serve` does, minus the process.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../electron/core/index.ts';
import { silentLogger } from '../../electron/core/logging/createLogger.ts';
import type { Clock, Logger, SecretStore, SettingsStore } from '../../electron/core/ports.ts';
import { createMemorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { listen, type ListenOptions, type RunningServer } from '../../electron/core/server/listen.ts';
import { startKiroEmulator, type KiroEmulator, type EmulatorOptions } from '../emulator/kiroEmulator.ts';

export const CLIENT_KEY = 'kd-test-client-key';
export const ADMIN_TOKEN = 'kda-test-admin-token';

export interface ProxyHarness {
  url: string;
  emulator: KiroEmulator;
  /** The emulator's ids of the IDE login and of the manual accounts, in order. */
  emulatorAccountIds: { ide?: string; manual: string[] };
  authDir: string;
  core: Core;
  server: RunningServer;
  close(): Promise<void>;
}

export interface HarnessOptions {
  emulator?: EmulatorOptions;
  /** Start with an access token that has already expired, so the first request refreshes. */
  expiredToken?: boolean;
  /** Write no login file at all. */
  noAccount?: boolean;
  /** Extra accounts added by hand (social logins issued by the emulator), after the IDE one. */
  manualAccounts?: number;
  logger?: Logger;
  settings?: SettingsStore;
  secrets?: SecretStore;
  clock?: Clock;
  quotaIntervalMs?: number;
  poolLimits?: CoreOptions['poolLimits'];
  /** Off unless given: most tests count upstream calls for identical requests. */
  responseCache?: CoreOptions['responseCache'];
  /** Anything else the core takes (dashboardDir, claudeSettingsPath…); wins over the harness's choices. */
  core?: Partial<CoreOptions>;
  /** Where and how to listen (default 127.0.0.1, a free port, the default connection limits). */
  listen?: Pick<ListenOptions, 'host' | 'limits' | 'clock'>;
  /** Runs after the emulator and the IDE login exist, before Kiro Dock starts. */
  prepare?(emulator: KiroEmulator, authDir: string): Promise<void> | void;
}

export async function startProxyHarness(options: HarnessOptions = {}): Promise<ProxyHarness> {
  const { clock } = options;
  // One date for both sides: the emulator's token expiries and reset dates follow the proxy's clock.
  const emulator = await startKiroEmulator({
    strict: true,
    ...(clock && { now: () => clock.now() }),
    ...options.emulator,
  });
  const authDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-auth-'));
  const emulatorAccountIds: ProxyHarness['emulatorAccountIds'] = { manual: [] };
  if (!options.noAccount) {
    const account = emulator.createSocialAccount({ expired: options.expiredToken });
    emulatorAccountIds.ide = account.accountId;
    await writeIdeLogin(authDir, account);
  }
  const core = createCore({
    kiroAuthDir: authDir,
    clientKey: CLIENT_KEY,
    adminToken: ADMIN_TOKEN,
    logger: options.logger ?? silentLogger(),
    version: 'test',
    upstreamUrl: emulator.url,
    settings: options.settings ?? createMemorySettingsStore(),
    secrets: options.secrets ?? createMemorySecretStore(),
    clock: options.clock,
    quotaIntervalMs: options.quotaIntervalMs,
    poolLimits: options.poolLimits,
    responseCache: options.responseCache ?? { enabled: false },
    ...options.core,
  });
  for (let i = 0; i < (options.manualAccounts ?? 0); i++) {
    const login = emulator.createSocialAccount();
    emulatorAccountIds.manual.push(login.accountId);
    await core.repository.add(
      {
        label: `manual ${i + 1}`,
        source: 'manual',
        authMethod: 'social',
        region: 'us-east-1',
        disabled: false,
        profileArn: login.profileArn,
      },
      {
        accessToken: login.accessToken,
        refreshToken: login.refreshToken,
        expiresAt: Date.parse(login.expiresAt),
      },
    );
  }
  await options.prepare?.(emulator, authDir);
  await core.start();
  const host = options.listen?.host ?? '127.0.0.1';
  const server = await listen(core.app, { ...options.listen, host, port: 0 });
  core.setListening({ host, port: Number(new URL(server.url).port) });
  return {
    url: server.url,
    emulator,
    emulatorAccountIds,
    authDir,
    core,
    server,
    async close() {
      await server.close(1_000);
      core.dispose();
      await emulator.close();
      await fs.rm(authDir, { recursive: true, force: true });
    },
  };
}

export async function writeIdeLogin(
  authDir: string,
  account: { accessToken: string; refreshToken: string; expiresAt: string; profileArn?: string },
): Promise<void> {
  const file = {
    accessToken: account.accessToken,
    refreshToken: account.refreshToken,
    profileArn: account.profileArn,
    expiresAt: account.expiresAt,
    authMethod: 'social',
    provider: 'Github',
  };
  await fs.writeFile(path.join(authDir, 'kiro-auth-token.json'), JSON.stringify(file), { mode: 0o600 });
}

/** POSTs JSON with the client key and returns status, headers and the raw body text. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = { 'x-api-key': CLIENT_KEY },
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

/** Parses SSE text into its events (event name + parsed JSON data). */
export function parseSse(text: string): Array<{ event: string | undefined; data: unknown }> {
  return text
    .split('\n\n')
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
      const data = lines
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      return { event, data: data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as unknown) };
    });
}
