/**
 * The real `kiro-dock serve` as a child process, as a user starts it: its printed lines are the only way in —
 * the address it listens on and the one-time dashboard link. `startServe` is the same for tests that need
 * other flags (the accounts command's tests share a data folder with it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './repoRoot.ts';

export interface KiroDockProcessOptions {
  dataDir: string;
  upstreamUrl: string;
  clientKey: string;
  adminToken: string;
  /** Where this serve finds Claude Code's settings.json (never the user's own). */
  claudeConfigDir: string;
  /** How long serve may take to print its address and dashboard link. */
  readyTimeoutMs?: number;
}

export interface KiroDockProcess {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The printed `…/dashboard/#login=CODE` link: it signs in once. */
  dashboardUrl: string;
  /** Everything serve wrote so far, stdout and stderr, line by line. */
  output: string[];
  /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
  stop(): Promise<void>;
}

const LISTENING = /^Kiro Dock listening on (http:\/\/\S+)$/;
const DASHBOARD = /^Dashboard: (http:\/\/\S+)$/;
const STOP_GRACE_MS = 5_000;

export async function startKiroDockProcess(options: KiroDockProcessOptions): Promise<KiroDockProcess> {
  const serve = await startServe({
    args: ['--data-dir', options.dataDir, '--secret-store', 'file', '--no-ide'],
    env: {
      KIRO_DOCK_UPSTREAM_URL: options.upstreamUrl,
      KIRO_DOCK_API_KEY: options.clientKey,
      KIRO_DOCK_ADMIN_TOKEN: options.adminToken,
      CLAUDE_CONFIG_DIR: options.claudeConfigDir,
    },
    dashboardLink: true,
    readyTimeoutMs: options.readyTimeoutMs,
  });
  return { ...serve, dashboardUrl: serve.dashboardUrl! };
}

export interface ServeOptions {
  /** Flags after `serve --port 0`. */
  args: string[];
  /** Added to this process's environment; the log level is `warn` unless set here. */
  env: Record<string, string>;
  /** Wait for the `Dashboard:` link too (printed when an admin token is set). */
  dashboardLink?: boolean;
  readyTimeoutMs?: number;
}

export type ServeProcess = Omit<KiroDockProcess, 'dashboardUrl'> & { dashboardUrl?: string };

/** `kiro-dock serve --port 0 …args`, ready once it printed its address (and, if asked, its dashboard link). */
export async function startServe(options: ServeOptions): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/cli.ts', 'serve', '--port', '0', ...options.args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, KIRO_DOCK_LOG_LEVEL: 'warn', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = () => stopChild(child, exited);
  // A test run that dies before its cleanup must not leave a proxy listening.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  try {
    const ready = {
      timeoutMs: options.readyTimeoutMs ?? 20_000,
      dashboardLink: options.dashboardLink ?? false,
    };
    const { url, dashboardUrl } = await readyLines(child, output, exited, ready);
    return { url, dashboardUrl, output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function readyLines(
  child: ChildProcess,
  output: string[],
  exited: Promise<number | null>,
  { timeoutMs, dashboardLink }: { timeoutMs: number; dashboardLink: boolean },
): Promise<{ url: string; dashboardUrl?: string }> {
  return new Promise((resolve, reject) => {
    let url: string | undefined;
    let dashboardUrl: string | undefined;
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `kiro-dock serve printed no ${url ? 'Dashboard: link' : 'listening address'} within ${timeoutMs} ms. ` +
              `Its output:\n${output.join('\n')}`,
          ),
        ),
      timeoutMs,
    );
    const onLine = (line: string) => {
      output.push(line);
      url ??= LISTENING.exec(line)?.[1];
      dashboardUrl ??= DASHBOARD.exec(line)?.[1];
      if (url && (dashboardUrl || !dashboardLink)) {
        clearTimeout(timer);
        resolve({ url, dashboardUrl });
      }
    };
    followLines(child.stdout!, onLine);
    followLines(child.stderr!, onLine);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `kiro-dock serve exited with ${code} before it was ready. Its output:\n${output.join('\n')}`,
        ),
      );
    });
  });
}

function followLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_GRACE_MS);
  });
  if ((await Promise.race([exited, graceOver])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}
