/**
 * Smoke test of a packaged desktop app, run by the release workflow on each OS after electron-builder:
 *
 *   tsx test/smoke/desktopSmoke.ts <shipped release dir> [<inspectable release dir>]
 *
 * 1. The shipped app (fuses burnt as in electron-builder.yml) is started as a user would start it, with a fresh
 *    user-data dir holding only a settings.json that names a free port; its proxy must answer GET /health on that
 *    port (which proves the app reads its settings from --user-data-dir), then it is stopped.
 * 2. Playwright's Electron launcher drives a twin built with the nodeCliInspect fuse left on (Playwright attaches
 *    through --inspect, which the shipped fuses refuse): the proxy must answer again, the main process must use
 *    the fresh user-data dir, and the app must quit when asked.
 *
 * A machine without a usable keychain is fine: the app then keeps secrets in memory, and only /health is read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { SETTING_LISTEN_PORT } from '../../electron/core/config/settingKeys.ts';

const PRODUCT_NAME = 'Kiro Dock';
const LINUX_EXECUTABLE = 'kiro-dock';
const STARTUP_LIMIT_MS = 90_000;
const POLL_MS = 500;

/** Where electron-builder puts the unpacked app for this OS and CPU, inside a release directory. */
function unpackedExecutable(releaseDir: string, platform = process.platform, arch = process.arch): string {
  if (platform === 'win32') return path.join(releaseDir, 'win-unpacked', `${PRODUCT_NAME}.exe`);
  if (platform === 'linux') return path.join(releaseDir, 'linux-unpacked', LINUX_EXECUTABLE);
  const appDir = arch === 'arm64' ? 'mac-arm64' : 'mac';
  return path.join(releaseDir, appDir, `${PRODUCT_NAME}.app`, 'Contents', 'MacOS', PRODUCT_NAME);
}

/**
 * Chromium's sandbox stays on everywhere. On Linux the unpacked apps cannot use unprivileged user namespaces
 * (Ubuntu 24.04's AppArmor refuses them), so the workflow makes their chrome-sandbox helper setuid root, as the
 * deb's install script does for users.
 */

interface HealthAnswer {
  status: string;
}

async function readHealth(port: number): Promise<HealthAnswer | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as Partial<HealthAnswer>;
    return typeof body.status === 'string' ? { status: body.status } : undefined;
  } catch {
    return undefined;
  }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForHealth(
  label: string,
  port: number,
  exited: () => string | undefined,
): Promise<HealthAnswer> {
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  while (Date.now() < deadline) {
    const exit = exited();
    if (exit) throw new Error(`${label}: the app exited before its proxy answered (${exit})`);
    const health = await readHealth(port);
    if (health) return health;
    await pause(POLL_MS);
  }
  throw new Error(`${label}: no answer on http://127.0.0.1:${port}/health within ${STARTUP_LIMIT_MS} ms`);
}

/** The next launch must not mistake a lingering instance's answer for its own. */
async function waitForPortToClose(label: string, port: number): Promise<void> {
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  while (Date.now() < deadline) {
    if (!(await readHealth(port))) return;
    await pause(POLL_MS);
  }
  throw new Error(`${label}: the proxy still answers after the app was stopped`);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A fresh user-data dir whose settings name a free port: the runner may hold the default port already. */
async function withFreshUserData<T>(run: (userDataDir: string, port: number) => Promise<T>): Promise<T> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'kiro-dock-smoke-'));
  try {
    const port = await freePort();
    await writeFile(path.join(userDataDir, 'settings.json'), JSON.stringify({ [SETTING_LISTEN_PORT]: port }));
    return await run(userDataDir, port);
  } finally {
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 5 });
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill();
  return exited;
}

async function smokeShippedApp(executable: string): Promise<void> {
  await withFreshUserData(async (userDataDir, port) => {
    const child = spawn(executable, [`--user-data-dir=${userDataDir}`], {
      stdio: 'inherit',
    });
    let exit: string | undefined;
    child.once('exit', (code, signal) => (exit = `code ${code}, signal ${signal}`));
    child.once('error', (error) => (exit = error.message));
    try {
      const health = await waitForHealth('shipped app', port, () => exit);
      console.log(`shipped app: /health answered, status ${health.status}`);
    } finally {
      await stop(child);
    }
    await waitForPortToClose('shipped app', port);
  });
}

async function smokeWithPlaywright(executable: string): Promise<void> {
  await withFreshUserData(async (userDataDir, port) => {
    const app = await electron.launch({
      executablePath: executable,
      args: [`--user-data-dir=${userDataDir}`],
      timeout: STARTUP_LIMIT_MS,
    });
    let closed = false;
    app.once('close', () => (closed = true));
    try {
      const health = await waitForHealth('Playwright', port, () => (closed ? 'closed' : undefined));
      const usedDir = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
      // Real paths: macOS hands out temp dirs through the /var → /private/var link.
      if (realpathSync(usedDir) !== realpathSync(userDataDir)) {
        throw new Error(`Playwright: the app stores its data in ${usedDir}, not in the fresh ${userDataDir}`);
      }
      console.log(`Playwright: /health answered, status ${health.status}; data in the fresh user-data dir`);
    } finally {
      await app.close();
    }
    await waitForPortToClose('Playwright', port);
  });
}

async function main(argv: string[]): Promise<void> {
  const [shippedDir, inspectableDir] = argv;
  if (!shippedDir)
    throw new Error('usage: desktopSmoke.ts <shipped release dir> [<inspectable release dir>]');
  for (const dir of [shippedDir, inspectableDir]) {
    if (dir && !existsSync(unpackedExecutable(dir))) throw new Error(`no app at ${unpackedExecutable(dir)}`);
  }
  await smokeShippedApp(unpackedExecutable(shippedDir));
  if (inspectableDir) await smokeWithPlaywright(unpackedExecutable(inspectableDir));
  console.log('desktop smoke test passed');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
