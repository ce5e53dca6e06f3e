/**
 * The desktop host's core: the OS keychain (or memory, with a notification saying so), settings in userData,
 * the log file in the OS's logs folder, and the core itself, started.
 */
import path from 'node:path';
import { app } from 'electron';
import { createLogger } from '../core/index.ts';
import type { Logger, SecretStore, SettingsStore } from '../core/ports.ts';
import { createHostCore } from '../hostCore.ts';
import { defaultKiroAuthDir } from '../hostPaths.ts';
import {
  openSecretStore,
  openSettings,
  rememberedSecretStore,
  type SecretStoreChoice,
} from '../hostStores.ts';
import type { DesktopNotice } from './accountNotifications.ts';
import { dashboardDirOf } from './desktopBundle.ts';

const NO_KEYCHAIN_WARNING = 'No system keychain: account secrets are kept only until Kiro Dock quits';

/** What a run may change: the secret store, the logger, where the Kiro IDE's login is. */
export interface DesktopCoreOptions {
  secretStore?: SecretStoreChoice;
  logger?: Logger;
  kiroAuthDir?: string;
}

export interface DesktopStores {
  settings: SettingsStore;
  secrets: SecretStore;
  /** Set when the OS keychain was missing and secrets live in memory. */
  keychainWarning?: string;
}

/**
 * The secret store is the run's choice, else the one remembered for this folder (a `kiro-dock accounts …
 * --secret-store file --data-dir <userData>` put the secrets there), else the keychain.
 */
async function openDesktopStores(dataDir: string, choice?: SecretStoreChoice): Promise<DesktopStores> {
  let keychainWarning: string | undefined;
  const settings = await openSettings(dataDir);
  const chosen = choice ?? rememberedSecretStore(settings) ?? 'auto';
  const secrets = await openSecretStore(chosen, dataDir, () => (keychainWarning = NO_KEYCHAIN_WARNING));
  return { settings, secrets, ...(keychainWarning && { keychainWarning }) };
}

function desktopLogger(settings: SettingsStore, env: NodeJS.ProcessEnv): Logger {
  return createLogger({
    level: env['KIRO_DOCK_LOG_LEVEL'] ?? settings.get<string>('logLevel') ?? 'info',
    file: settings.get<string>('logFile') ?? path.join(app.getPath('logs'), 'kiro-dock.log'),
  });
}

/** The stores, the logger and the started core; a missing keychain is a notification. */
export async function startDesktopCore(
  options: DesktopCoreOptions,
  env: NodeJS.ProcessEnv,
  dataDir: string,
  showNotice: (notice: DesktopNotice) => void,
) {
  const stores = await openDesktopStores(dataDir, options.secretStore);
  const logger = options.logger ?? desktopLogger(stores.settings, env);
  const { core } = await createHostCore({
    ...stores,
    logger,
    env,
    version: app.getVersion(),
    kiroAuthDir: options.kiroAuthDir ?? defaultKiroAuthDir(),
    dashboardDir: dashboardDirOf(app.getAppPath()),
  });
  await core.start();
  if (stores.keychainWarning)
    showNotice({
      title: 'Kiro Dock',
      body: `${stores.keychainWarning}. Sign-ins must be repeated after a restart.`,
    });
  return { stores, logger, core };
}
