import { DASHBOARD_PATH } from '../shared/adminApi.ts';
import { proxyBaseUrl, SETTING_IDE_WRITE_BACK, storedListen } from './core/index.ts';
import type { SettingsStore } from './core/ports.ts';
import type { CliCommand } from './cli/cliCommand.ts';
import { HELP_OPTION } from './cli/cliCommand.ts';
import { parseCommandArgs } from './cli/commandArgs.ts';
import { portFlag } from './cli/portFlag.ts';
import { UsageError } from './cli/usageError.ts';
import {
  checkHeadlessFlags,
  createHeadlessCore,
  HEADLESS_OPTIONS,
  openHostStores,
  type HeadlessFlags,
} from './headlessHost.ts';
import { emptyPoolWarning } from './emptyPoolWarning.ts';
import { bindProxy, PortInUseError } from './hostCore.ts';
import { defaultDashboardDir } from './hostPaths.ts';
import { exposureProblem, exposureWarning, isLoopbackHost } from './listenExposure.ts';
import { readTeamSecretKey } from './teamSecretKey.ts';

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
  --redis-url URL         Share the team's client keys, revocations and budgets with the other replicas on this
                          Redis (also KIRO_DOCK_REDIS_URL); with a secret key, the Kiro accounts too
  --secret-key-file PATH  The team's secret key (32 bytes, base64 or hex; or KIRO_DOCK_SECRET_KEY): the Kiro
                          accounts and their tokens are then shared on Redis, sealed with it (AES-256-GCM), and
                          refreshed by one replica at a time. Every replica needs the same key. Without one the
                          accounts stay in each replica's own stores, and the Kiro IDE login is imported only then

Environment:
  KIRO_DOCK_API_KEY       The client key clients must send (otherwise generated and printed once)
  KIRO_DOCK_ADMIN_TOKEN   The admin API's token (otherwise a new one is generated and printed each run)
  KIRO_DOCK_SECRET_KEY    The team's secret key, as --secret-key-file holds it (\`openssl rand -base64 32\`)
  KIRO_DOCK_UPSTREAM_URL  One base URL for every Kiro call (e.g. a local emulator)
  CLAUDE_CONFIG_DIR       Where Claude Code keeps settings.json (default ~/.claude), for the dashboard's setup

Every finished request is recorded in DIR/usage.sqlite (setting usageRetentionDays, default 90); team keys:
kiro-dock keys --help; the ledger: kiro-dock usage --help.

The dashboard is at http://HOST:PORT/dashboard/; the link printed at start signs you in once (within 10
minutes). Afterwards, sign in with the admin token.
`;

export interface ServeFlags extends HeadlessFlags {
  'redis-url'?: string;
  'secret-key-file'?: string;
  host?: string;
  port?: string;
  'ide-write-back'?: string;
}

const DRAIN_MS = 30_000;

const SERVE_OPTIONS = {
  ...HEADLESS_OPTIONS,
  host: { type: 'string' },
  port: { type: 'string' },
  'ide-write-back': { type: 'string' },
  'redis-url': { type: 'string' },
  'secret-key-file': { type: 'string' },
  ...HELP_OPTION,
} as const;

export const serveCommand: CliCommand = {
  summary: 'Run the proxy (Anthropic /v1/messages and OpenAI /v1/chat/completions)',
  async run(args, { version }) {
    const { values } = parseCommandArgs({ name: 'serve', usage: SERVE_HELP, options: SERVE_OPTIONS }, args);
    if (values.help) {
      process.stdout.write(SERVE_HELP);
      return 0;
    }
    checkServeFlags(values);
    return runServe(values, version);
  },
};

/** Every flag's value, before anything is opened. */
export function checkServeFlags(flags: ServeFlags): void {
  checkHeadlessFlags(flags, SERVE_HELP);
  portFlag(flags.port, SERVE_HELP);
  const writeBack = flags['ide-write-back'];
  if (writeBack !== undefined && writeBack !== 'on' && writeBack !== 'off')
    throw new UsageError(
      `--ide-write-back must be on or off, not ${JSON.stringify(writeBack)}.`,
      'on shares the IDE login, off copies it.',
      SERVE_HELP,
    );
}

export async function runServe(flags: ServeFlags, version: string): Promise<number> {
  const redisUrl = flags['redis-url'] ?? (process.env['KIRO_DOCK_REDIS_URL'] || undefined);
  // A key given wrongly is the first thing the user reads, before any store is opened.
  const secretKey = readTeamSecretKey(flags, redisUrl, process.env, SERVE_HELP);
  const stores = await openHostStores(flags);
  const { settings, secrets: store } = stores;
  const stored = storedListen(settings);
  const port = portFlag(flags.port, SERVE_HELP) ?? stored.port;
  const host = flags.host ?? stored.host;
  applyWriteBackFlag(settings, flags['ide-write-back']);
  const { core, clientKey, adminToken, logger, usageLedger, sharedState } = await createHeadlessCore(
    flags,
    stores,
    { version, dashboardDir: defaultDashboardDir(), withUsageLedger: true, redisUrl, secretKey },
  );
  const dispose = () => {
    core.dispose();
    usageLedger?.close();
    void sharedState?.close();
  };
  const exposure = exposureProblem(host, clientKey.key);
  if (exposure) {
    dispose();
    throw new Error(exposure);
  }
  await core.start();
  const fromFlags = {
    ...(flags.host !== undefined && { host: 'flag' as const }),
    ...(flags.port !== undefined && { port: 'flag' as const }),
  };
  const { running, bound } = await bindProxy(core, { host, port }, fromFlags).catch((error: Error) => {
    dispose();
    throw new Error(
      error instanceof PortInUseError ? `${error.message}; pick another with --port` : error.message,
    );
  });
  const noAccount = emptyPoolWarning(core);
  if (noAccount) {
    // On stderr whatever the log level, like the exposure warning.
    process.stderr.write(`kiro-dock: ${noAccount}\n`);
    logger.warn({ accounts: core.accounts.pool.snapshot().length }, 'no account can serve');
  }
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
        dispose();
        resolve(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The flag was checked by checkServeFlags. */
function applyWriteBackFlag(settings: SettingsStore, flag: string | undefined): void {
  if (flag === undefined) return;
  settings.set(SETTING_IDE_WRITE_BACK, flag === 'on');
}
