/**
 * The Electron side of `--self-test`: the real keychain, a logger on a log file in a throw-away folder, the
 * login item, the tray icons as nativeImage loads them. Runs instead of the app (no tray, no proxy) in a
 * user-data folder of its own, so it never touches a user's settings or a running instance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app, nativeImage, Notification } from 'electron';
import { createLogger } from '../core/index.ts';
import { openSecretStore } from '../hostStores.ts';
import { createLaunchAtLogin } from './launchAtLogin.ts';
import { runSelfTest, selfTestExitCode } from './selfTest.ts';
import { resourcesRoot, trayIconPath } from './trayIcons.ts';

/** Call before the app is ready: the user-data folder can only be moved then. */
export function prepareSelfTest(): string {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kiro-dock-self-test-'));
  app.setPath('userData', path.join(scratch, 'user-data'));
  return scratch;
}

/** Runs the checks, prints one JSON line each and a summary, and returns the exit code. */
export async function runSelfTestApp(scratch: string, platform = process.platform): Promise<number> {
  const logFile = path.join(scratch, 'logs', 'kiro-dock.log');
  const results = await runSelfTest({
    platform,
    openKeychain: () => openSecretStore('keychain', app.getPath('userData'), () => undefined),
    logger: createLogger({ level: 'info', file: logFile }),
    logFile,
    notificationsSupported: () => Notification.isSupported(),
    launchAtLogin: createLaunchAtLogin(app, platform),
    trayImage: (state) => nativeImage.createFromPath(trayIconPath(resourcesRoot(app), state, platform)),
    ...(app.isPackaged && { resourcesPath: process.resourcesPath }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
  for (const result of results) process.stdout.write(`${JSON.stringify({ selfTest: result })}\n`);
  const code = selfTestExitCode(results);
  const failed = results.filter((result) => !result.ok).length;
  process.stdout.write(`self-test: ${failed === 0 ? 'all checks passed' : `${failed} check(s) failed`}\n`);
  rmSync(scratch, { recursive: true, force: true });
  return code;
}
