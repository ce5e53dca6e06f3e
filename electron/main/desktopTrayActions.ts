/**
 * What each tray menu entry does. Only wiring: the proxy controller, the login item, the window and the
 * clipboard do the work.
 */
import { app, clipboard } from 'electron';
import { claudeCodeSetupView, resolveClientKey } from '../core/index.ts';
import type { Logger, SecretStore } from '../core/ports.ts';
import { claudeSettingsPath } from '../hostPaths.ts';
import { SIGN_IN_ROUTE, type DashboardWindow } from './dashboardWindow.ts';
import type { DesktopUpdater } from './desktopUpdater.ts';
import type { LaunchAtLogin } from './launchAtLogin.ts';
import type { ProxyController } from './proxyController.ts';
import type { TrayAction } from './trayMenuModel.ts';

export interface TrayActionParts {
  proxy: ProxyController;
  launchAtLogin: LaunchAtLogin;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  window: DashboardWindow;
  updater: Pick<DesktopUpdater, 'state' | 'checkNow' | 'automatic' | 'setAutomatic'>;
  /** `http://127.0.0.1:8765` while the proxy listens, else undefined. */
  dashboardOrigin(): string | undefined;
  refreshTray(): void;
}

export function desktopTrayActions(parts: TrayActionParts): Record<TrayAction, () => void> {
  const { proxy, launchAtLogin, logger } = parts;
  const report = (what: string) => (error: unknown) => logger.warn({ err: error }, `${what} failed`);
  return {
    'toggle-proxy': () => void proxy.toggle().catch(report('switching the proxy')),
    'copy-endpoint': () => {
      const origin = parts.dashboardOrigin();
      if (origin) clipboard.writeText(origin).catch(report('copying the address'));
    },
    'copy-claude-env': () => void copyClaudeEnv(parts).catch(report('copying')),
    'open-dashboard': () => parts.window.show(),
    'add-account': () => parts.window.show(SIGN_IN_ROUTE),
    'toggle-launch-at-login': () => {
      launchAtLogin.set(!launchAtLogin.get());
      parts.refreshTray();
    },
    // A ready update installs at the end of the draining quit; otherwise this asks the feed.
    'check-for-updates': () =>
      parts.updater.state().kind === 'ready' ? app.quit() : parts.updater.checkNow(),
    'toggle-auto-update': () => parts.updater.setAutomatic(!parts.updater.automatic()),
    quit: () => app.quit(),
  };
}

/** The same lines the dashboard's Claude Code page shows; the key is read now, as it may have been replaced. */
async function copyClaudeEnv(parts: TrayActionParts): Promise<void> {
  const baseUrl = parts.dashboardOrigin();
  if (!baseUrl) return;
  const { key } = await resolveClientKey(parts.secrets, parts.env['KIRO_DOCK_API_KEY']);
  const view = await claudeCodeSetupView({
    settingsPath: claudeSettingsPath(parts.env),
    baseUrl,
    clientKey: key,
  });
  await clipboard.writeText(`${view.envLines.join('\n')}\n`);
}
