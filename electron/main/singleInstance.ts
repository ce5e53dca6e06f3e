/** One Kiro Dock per user: a second launch hands over to the first (which shows its window) and quits. */

/** The part of Electron's `app` this needs. */
export interface InstanceLock {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
}

/** Returns false in a second instance, which is already quitting. */
export function claimSingleInstance(app: InstanceLock, onSecondInstance: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => onSecondInstance());
  return true;
}
