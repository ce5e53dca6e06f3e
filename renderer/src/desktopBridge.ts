import { DESKTOP_BRIDGE_GLOBAL, type DesktopBridge } from '../../shared/desktopBridge.ts';

/** The desktop app's preload bridge; absent in a plain browser. */
export function desktopBridge(): DesktopBridge | undefined {
  return (window as unknown as Record<string, DesktopBridge | undefined>)[DESKTOP_BRIDGE_GLOBAL];
}
