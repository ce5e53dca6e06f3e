/**
 * A stand-in for electron-updater's autoUpdater over a scripted release feed, keeping the rules that bite: an
 * app that is not packaged never checks (checkForUpdates answers null, no events), a newer version is downloaded
 * only with autoDownload, quitAndInstall without a downloaded update reports an error and does not quit, and a
 * failed check both emits 'error' and rejects.
 */
import { EventEmitter } from 'node:events';
import type { UpdaterPort } from '../../../electron/main/desktopUpdater.ts';
import { app } from './fakeElectron.ts';

export interface FakeFeed {
  /** The newest version on the release page. */
  version: string;
  /** Set: the check fails with this message (offline, rate-limited…). */
  failWith?: string;
}

const newer = (a: string, b: string) => {
  const [x, y] = [a, b].map((version) => version.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0));
  for (let index = 0; index < Math.max(x!.length, y!.length); index += 1) {
    const difference = (x![index] ?? 0) - (y![index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return false;
};

export class FakeAppUpdater extends EventEmitter {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  logger: UpdaterPort['logger'] = console;
  feed: FakeFeed = { version: '0.0.0-test' };
  checks = 0;
  installs: Array<{ isSilent?: boolean; isForceRunAfter?: boolean }> = [];
  private downloaded: string | undefined;

  async checkForUpdates(): Promise<{ updateInfo: { version: string } } | null> {
    if (!app.isPackaged) return null;
    this.checks += 1;
    this.emit('checking-for-update');
    if (this.feed.failWith) {
      const error = new Error(this.feed.failWith);
      this.emit('error', error);
      throw error;
    }
    const updateInfo = { version: this.feed.version };
    if (!newer(this.feed.version, app.getVersion())) {
      this.emit('update-not-available', updateInfo);
      return { updateInfo };
    }
    this.emit('update-available', updateInfo);
    if (this.autoDownload)
      setImmediate(() => {
        this.downloaded = updateInfo.version;
        this.emit('update-downloaded', updateInfo);
      });
    return { updateInfo };
  }

  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    if (!this.downloaded) {
      this.emit('error', new Error("No valid update available, can't quit and install"));
      return;
    }
    this.installs.push({ isSilent, isForceRunAfter });
    app.quit();
  }
}

export let autoUpdater = new FakeAppUpdater();

export function resetFakeUpdater(): FakeAppUpdater {
  autoUpdater = new FakeAppUpdater();
  return autoUpdater;
}

export default {
  get autoUpdater() {
    return autoUpdater;
  },
};
