/**
 * Tray icon files. The packaged app ships resources/ beside the asar (process.resourcesPath); from source they are
 * the repository's resources/ folder. macOS wants template images (black with alpha, tinted by the menu bar);
 * Electron picks the @2x sibling of each file by itself on high-density screens.
 */
import path from 'node:path';
import type { TrayState } from './trayMenuModel.ts';

export function trayIconPath(
  resourcesRoot: string,
  state: TrayState,
  platform: NodeJS.Platform = process.platform,
): string {
  const name = platform === 'darwin' ? `trayTemplate-${state}.png` : `tray-${state}.png`;
  return path.join(resourcesRoot, 'tray', name);
}

/** Where resources/ is: beside the asar when packaged, the repository's folder when run from source. */
export function resourcesRoot(
  app: { isPackaged: boolean; getAppPath(): string },
  packagedResourcesPath: string = process.resourcesPath,
): string {
  return app.isPackaged ? packagedResourcesPath : path.join(app.getAppPath(), 'resources');
}
