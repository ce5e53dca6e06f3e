/**
 * Where the packaged app finds what electron-vite built, and the id the installers register. Plain Node, so the
 * packaging test checks these very values against electron.vite.config.ts and electron-builder.yml: a path that
 * drifted from what the builder ships would only show as a blank window on a user's machine.
 */
import path from 'node:path';

/** electron-builder.yml's appId: Windows shows notifications only for the id its Start-menu shortcut carries. */
export const DESKTOP_APP_ID = 'dev.kirodock.app';

/** The dashboard electron-vite writes to out/renderer, inside the app (the asar once packaged). */
export function dashboardDirOf(appPath: string): string {
  return path.join(appPath, 'out', 'renderer');
}

/** The preload bundle sits beside the main bundle's folder: out/main/index.js → out/preload/index.cjs. */
export function preloadPathOf(mainBundleDir: string): string {
  return path.join(mainBundleDir, '..', 'preload', 'index.cjs');
}
