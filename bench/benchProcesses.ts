/**
 * Benchmarks run the emulator and Kiro Dock as separate processes, as in real use, so that the load generator,
 * the proxy and the upstream do not share one event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Started {
  child: ChildProcess;
  stop(): Promise<void>;
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = buffer.match(pattern);
      if (match) resolve(match);
    });
    child.once('exit', (code) => reject(new Error(`process exited with ${code} before ready`)));
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

export interface EmulatorProcess extends Started {
  url: string;
  account: { accessToken: string; refreshToken: string; expiresAt: string; profileArn?: string };
}

export async function startEmulatorProcess(args: string[] = []): Promise<EmulatorProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'test/emulator/cli.ts'), '--port', '0', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = await waitForLine(child, /^\{.*\}$/m);
  const info = JSON.parse(line) as { url: string; account: EmulatorProcess['account'] };
  return { child, url: info.url, account: info.account, stop: stopper(child) };
}

export interface ProxyProcess extends Started {
  url: string;
  clientKey: string;
}

export async function startProxyProcess(
  upstreamUrl: string,
  account: EmulatorProcess['account'],
  extraArgs: string[] = [],
  settings?: Record<string, unknown>,
): Promise<ProxyProcess> {
  const authDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-bench-'));
  await fs.writeFile(
    path.join(authDir, 'kiro-auth-token.json'),
    JSON.stringify({ ...account, authMethod: 'social', provider: 'Github' }),
    { mode: 0o600 },
  );
  // The data folder is the same temporary folder; settings.json there is what `serve` reads at start.
  if (settings)
    await fs.writeFile(path.join(authDir, 'settings.json'), JSON.stringify(settings), { mode: 0o600 });
  const clientKey = 'kd-bench-key';
  const child = spawn(
    process.execPath,
    [
      // e.g. BENCH_PROXY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the proxy under load
      ...(process.env['BENCH_PROXY_NODE_ARGS']?.split(' ').filter(Boolean) ?? []),
      // The compiled CLI, as the installed `kiro-dock` runs it (bench/run.ts builds it first).
      path.join(ROOT, 'dist/electron/cli.js'),
      'serve',
      '--port',
      '0',
      '--kiro-auth-dir',
      authDir,
      '--data-dir',
      authDir,
      '--secret-store',
      'memory',
      ...extraArgs,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        KIRO_DOCK_UPSTREAM_URL: upstreamUrl,
        KIRO_DOCK_API_KEY: clientKey,
        KIRO_DOCK_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const match = await waitForLine(child, /Kiro Dock listening on (\S+)/);
  const stop = stopper(child);
  return {
    child,
    url: match[1]!,
    clientKey,
    stop: async () => {
      await stop();
      await fs.rm(authDir, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(samples: number[]): { p50: number; p90: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99) };
}
