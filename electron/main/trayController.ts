/**
 * Renders the tray model with Electron's Tray and Menu. It decides nothing: trayMenuModel says what to show,
 * and bursts of core events (a quota sweep touches every account) are folded into one rebuild.
 */
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import {
  trayMenuModel,
  type TrayAction,
  type TrayMenuItem,
  type TrayState,
  type TrayStatus,
} from './trayMenuModel.ts';

export const TRAY_REBUILD_DEBOUNCE_MS = 250;

export interface TrayControllerOptions {
  iconPath(state: TrayState): string;
  status(): TrayStatus;
  actions: Record<TrayAction, () => void>;
  /**
   * A left click on the icon. Windows opens the context menu on a right click only, so a left click must do
   * something itself; macOS opens the menu on any click and does not need it.
   */
  onClick?: () => void;
  debounceMs?: number;
}

export interface TrayController {
  /** Asks for a rebuild; many asks within the debounce window make one. */
  refresh(): void;
  /** Rebuilds now. */
  render(): void;
  dispose(): void;
}

export function createTrayController(options: TrayControllerOptions): TrayController {
  let pending: NodeJS.Timeout | undefined;
  // Core events keep coming while the app quits; a destroyed Tray throws on every call.
  let disposed = false;
  let shownState = trayMenuModel(options.status()).state;
  const tray = new Tray(nativeImage.createFromPath(options.iconPath(shownState)));
  if (options.onClick) tray.on('click', options.onClick);

  function render(): void {
    if (pending) clearTimeout(pending);
    pending = undefined;
    if (disposed) return;
    const model = trayMenuModel(options.status());
    if (model.state !== shownState) {
      tray.setImage(nativeImage.createFromPath(options.iconPath(model.state)));
      shownState = model.state;
    }
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(model.items.map((item) => toMenuItem(item, options.actions))));
  }

  render();
  return {
    refresh() {
      if (pending || disposed) return;
      pending = setTimeout(render, options.debounceMs ?? TRAY_REBUILD_DEBOUNCE_MS);
    },
    render,
    dispose() {
      if (disposed) return;
      disposed = true;
      if (pending) clearTimeout(pending);
      pending = undefined;
      tray.destroy();
    },
  };
}

export function toMenuItem(
  item: TrayMenuItem,
  actions: Record<TrayAction, () => void>,
): MenuItemConstructorOptions {
  switch (item.kind) {
    case 'separator':
      return { type: 'separator' };
    case 'text':
      return { label: item.label, enabled: false };
    case 'action':
      return { label: item.label, enabled: item.enabled, click: () => actions[item.action]() };
    case 'checkbox':
      return {
        type: 'checkbox',
        label: item.label,
        checked: item.checked,
        enabled: item.enabled,
        click: () => actions[item.action](),
      };
  }
}
