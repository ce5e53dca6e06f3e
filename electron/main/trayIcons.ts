/**
 * Tray icon files. The packaged app ships resources/tray beside the asar (process.resourcesPath); from source
 * they are the repository's resources/ folder. Each OS gets what it renders well:
 * - macOS: a template image (black with alpha, tinted by the menu bar). Electron marks an image as a template
 *   only when the file name ends in "Template" (`…Template.png`, its `…Template@2x.png` sibling picked by itself
 *   on Retina screens), so the name is the contract.
 * - Windows: an ICO holding every size the notification area asks for across display scalings.
 * - Linux: a colour PNG, as StatusNotifierItem hosts draw it.
 */
import path from 'node:path';
import type { TrayState } from './trayMenuModel.ts';

/** `no-accounts` → `trayNoAccountsTemplate.png`. */
export function trayTemplateFileName(state: TrayState): string {
  const words = state.split('-').map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return `tray${words.join('')}Template.png`;
}

export function trayIconFileName(state: TrayState, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return trayTemplateFileName(state);
  return platform === 'win32' ? `tray-${state}.ico` : `tray-${state}.png`;
}

export function trayIconPath(
  resourcesRoot: string,
  state: TrayState,
  platform: NodeJS.Platform = process.platform,
): string {
  return path.join(resourcesRoot, 'tray', trayIconFileName(state, platform));
}

/** Where resources/ is: beside the asar when packaged, the repository's folder when run from source. */
export function resourcesRoot(
  app: { isPackaged: boolean; getAppPath(): string },
  packagedResourcesPath: string = process.resourcesPath,
): string {
  return app.isPackaged ? packagedResourcesPath : path.join(app.getAppPath(), 'resources');
}
