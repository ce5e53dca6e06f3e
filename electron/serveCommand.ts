import { DASHBOARD_PATH } from '../shared/adminApi.ts';
import { SETTING_IDE_WRITE_BACK } from './core/index.ts';
import type { SettingsStore } from './core/ports.ts';
import { proxyBaseUrl } from './core/config/claudeCodeSetup.ts';
import { storedListen } from './core/config/storedSettings.ts';
import { createHeadlessCore, openHostStores, type HeadlessFlags } from './headlessHost.ts';
import { bindProxy, PortInUseError } from './hostCore.ts';
import { defaultDashboardDir } from './hostPaths.ts';
import { exposureProblem, exposureWarning, isLoopbackHost } from './listenExposure.ts';

export const SERVE_HELP = `Usage: kiro-dock serve [options]

Options:
  --host HOST             Address to listen on (default: the listenHost setting, else 127.0.0.1; anything but
                          loopback exposes the proxy, and needs a client key of 32 characters or more)
  --port PORT             Port (default: the listenPort setting, else 8765; 0 picks a free one)
  --data-dir DIR          Settings folder (default: the OS's per-user config folder)
  --secret-store KIND     auto (default: the OS keychain, else memory with a warning), keychain, memory,
                          or file (DIR/secrets.json, mode 0600: your explicit opt-in)
  --kiro-auth-dir DIR     Folder of the Kiro IDE login (default ~/.aws/sso/cache)
  --no-ide                Do not import the Kiro IDE login
  --ide-write-back on|off Share the IDE login (on, default: refreshed tokens are written back to the IDE's
                          file so both stay signed in) or copy it (off); remembered in the settings
  --region REGION         Kiro API region (default us-east-1)
  --max-concurrency N     Requests one account serves at once (default 8; more wait in a queue of 64)
  --log-level LEVEL       trace, debug, info (default), warn, error, silent (setting: logLevel)
  --log-file PATH         Also log to PATH, rotated at 10 MB and daily, 5 files kept (setting: logFile)

Environment:
  KIRO_DOCK_API_KEY       The client key clients must send (otherwise generated and printed once)
  KIRO_DOCK_ADMIN_TOKEN   The admin API's token (otherwise a new one is generated and printed each run)
  KIRO_DOCK_UPSTREAM_URL  One base URL for every Kiro call (e.g. a local emulator)
  CLAUDE_CONFIG_DIR       Where Claude Code keeps settings.json (default ~/.claude), for the dashboard's setup

The dashboard is at http://HOST:PORT/dashboard/; the link printed at start signs you in once (within 10
minutes). Afterwards, sign in with the admin token.
`;

export interface ServeFlags extends HeadlessFlags {
  host?: string;
  port?: string;
  'ide-write-back'?: string;
}

const DRAIN_MS = 30_000;

export async function runServe(flags: ServeFlags, version: string): Promise<number> {
  const stores = await openHostStores(flags);
  const { settings, secrets: store } = stores;
  const stored = storedListen(settings);
  const port = flags.port === undefined ? stored.port : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be 0-65535, got ${flags.port}`);
  const host = flags.host ?? stored.host;
  applyWriteBackFlag(settings, flags['ide-write-back']);
  const { core, clientKey, adminToken, logger } = await createHeadlessCore(flags, stores, {
    version,
    dashboardDir: defaultDashboardDir(),
  });
  const exposure = exposureProblem(host, clientKey.key);
  if (exposure) {
    core.dispose();
    throw new Error(exposure);
  }
  await core.start();
  const fromFlags = {
    ...(flags.host !== undefined && { host: 'flag' as const }),
    ...(flags.port !== undefined && { port: 'flag' as const }),
  };
  const { running, bound } = await bindProxy(core, { host, port }, fromFlags).catch((error: Error) => {
    core.dispose();
    throw new Error(
      error instanceof PortInUseError ? `${error.message}; pick another with --port` : error.message,
    );
  });
  if (!isLoopbackHost(host)) {
    // On stderr whatever the log level: --log-level error must not hide it.
    process.stderr.write(exposureWarning(host));
    logger.warn({ host }, 'listening beyond loopback');
  }
  if (clientKey.origin === 'generated') {
    const where =
      store.kind === 'memory'
        ? 'for this run only (--secret-store memory)'
        : `stored in the ${store.kind} store`;
    process.stdout.write(`Client key (${where}): ${clientKey.key}\n`);
  }
  process.stdout.write(`Admin token (this run): ${adminToken}\n`);
  // The code rides in the fragment, which browsers never send, so it reaches no log; it works once.
  process.stdout.write(
    `Dashboard: ${proxyBaseUrl(bound)}${DASHBOARD_PATH}/#login=${core.mintDashboardLogin()}\n`,
  );
  // Last: scripts and tests wait for this line.
  process.stdout.write(`Kiro Dock listening on ${running.url}\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: draining in-flight requests');
      void running.close(DRAIN_MS).then(() => {
        core.dispose();
        resolve(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function applyWriteBackFlag(settings: SettingsStore, flag: string | undefined): void {
  if (flag === undefined) return;
  if (flag !== 'on' && flag !== 'off')
    throw new Error(`--ide-write-back must be on or off, got ${JSON.stringify(flag)}`);
  settings.set(SETTING_IDE_WRITE_BACK, flag === 'on');
}
