/**
 * `kiro-dock daemon`: a long-lived local model process for agent runtimes, speaking JSON Lines over stdio
 * (requests on stdin, answers on stdout), on the same accounts, data folder, secret store and settings as
 * `kiro-dock serve`. Stdout carries protocol lines and nothing else; logs go to stderr (and the log file).
 */
import { DASHBOARD_PATH } from '../../shared/adminApi.ts';
import type { Core } from '../core/index.ts';
import { systemClock, type Logger, type Timer } from '../core/ports.ts';
import { HELP_OPTION, type CliCommand } from '../cli/cliCommand.ts';
import { parseCommandArgs } from '../cli/commandArgs.ts';
import { portFlag } from '../cli/portFlag.ts';
import {
  checkHeadlessFlags,
  createHeadlessCore,
  HEADLESS_OPTIONS,
  openHostStores,
  type HeadlessFlags,
} from '../headlessHost.ts';
import { bindProxy, PortInUseError, unbindProxy, type BoundProxy } from '../hostCore.ts';
import { defaultDashboardDir } from '../hostPaths.ts';
import { checkedModel, coreAnswerer, describeFailure, DEFAULT_MODEL } from './coreAnswerer.ts';
import { runDaemonLoop } from './daemonLoop.ts';
import { createJsonLineWriter } from './jsonLineWriter.ts';

export const DAEMON_HELP = `Usage: kiro-dock daemon [options]

Reads one JSON request per line on stdin and writes JSON lines on stdout (and nothing else there):
  {"prompt": "User: Hello\\n\\nAssistant: ", "stream": false}   → {"content": "Hello! …"}
  {"prompt": "…", "stream": true}   → {"content": "<chunk>", "done": false} lines, then {"content": "", "done": true}
  {"ping": true}                    → {"pong": true}
Optional fields: "id" (echoed on every answer line), "model", "system", "messages" (Anthropic-shaped, instead
of "prompt"), "max_tokens". Failures: {"error": {"type": "…", "message": "…"}, "done": true}. At the end of
stdin (or on SIGTERM) the answers in flight finish, then it exits 0.

Options:
  --model MODEL           Model when a request names none (default ${DEFAULT_MODEL})
  --port PORT             Also serve the HTTP API, the dashboard and /metrics on 127.0.0.1:PORT (0: any free
                          port), where this process's requests show (source: daemon)
  --data-dir, --secret-store, --kiro-auth-dir, --no-ide, --region, --max-concurrency, --log-level, --log-file
                          As for serve: the same accounts and settings (logs on stderr)
`;

export interface DaemonFlags extends HeadlessFlags {
  model?: string;
  port?: string;
}

/** How long answers in flight may take to finish after SIGTERM/SIGINT before they are cut. */
const DRAIN_MS = 30_000;

const OPTIONS = {
  ...HEADLESS_OPTIONS,
  model: { type: 'string' },
  port: { type: 'string' },
  ...HELP_OPTION,
} as const;

export const daemonCommand: CliCommand = {
  summary: 'A long-lived model process: JSON Lines requests on stdin, answers on stdout',
  async run(args, { version }) {
    const { values } = parseCommandArgs({ name: 'daemon', usage: DAEMON_HELP, options: OPTIONS }, args);
    if (values.help) {
      process.stdout.write(DAEMON_HELP);
      return 0;
    }
    checkHeadlessFlags(values, DAEMON_HELP);
    portFlag(values.port, DAEMON_HELP);
    return runDaemon(values, version);
  },
};

export async function runDaemon(flags: DaemonFlags, version: string): Promise<number> {
  const protocolWrite = reserveStdoutForProtocol();
  const model = checkedModel(flags.model);
  const port = portFlag(flags.port, DAEMON_HELP);
  const stores = await openHostStores(flags);
  const { core, logger, clientKey } = await createHeadlessCore(flags, stores, {
    version,
    dashboardDir: port === undefined ? undefined : defaultDashboardDir(),
    withoutClientKey: port === undefined,
  });
  let proxy: BoundProxy | undefined;
  try {
    await core.start();
    if (port !== undefined) proxy = await bindDashboard(core, port, logger);
    // The key itself stays off stderr, which is often kept in a log; the dashboard shows it.
    if (proxy && clientKey.origin === 'generated')
      process.stderr.write(
        `kiro-dock daemon: a new client key was stored; the dashboard's Settings show it\n`,
      );
    return await serveStdio(core, logger, model, protocolWrite);
  } finally {
    if (proxy) await unbindProxy(core, proxy, 1_000);
    core.dispose();
  }
}

/** Answers stdin's requests until it ends or a signal asks to stop; 1 when stdout went away. */
async function serveStdio(
  core: Core,
  logger: Logger,
  model: string,
  protocolWrite: (text: string) => boolean,
): Promise<number> {
  const shutdown = drainOnSignals(logger);
  const writer = createJsonLineWriter(process.stdout, protocolWrite, (error) => {
    logger.warn({ error: error.message }, 'stdout closed: nobody reads the answers any more; stopping');
    shutdown.cutNow(new Error('nobody reads the answers any more'));
  });
  logger.info({ model }, 'daemon ready: one JSON request per line on stdin');
  try {
    await runDaemonLoop({
      input: process.stdin,
      writer,
      answer: coreAnswerer(core, model),
      describeError: describeFailure(logger),
      stop: shutdown.stop,
      cancel: shutdown.cancel,
    });
  } finally {
    shutdown.dispose();
  }
  return writer.broken ? 1 : 0;
}

/**
 * SIGINT/SIGTERM stop the reading (like the end of stdin) and give the answers in flight DRAIN_MS to finish
 * before they are cut.
 */
function drainOnSignals(logger: Logger) {
  const stop = new AbortController();
  const cancel = new AbortController();
  let deadline: Timer | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) return;
    logger.info({ signal }, 'stopping: finishing the answers in flight');
    stop.abort();
    deadline = systemClock.setTimer(() => cancel.abort(new Error('Kiro Dock is shutting down')), DRAIN_MS);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stop: stop.signal,
    cancel: cancel.signal,
    cutNow(reason: Error) {
      stop.abort();
      cancel.abort(reason);
    },
    dispose() {
      deadline?.cancel();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Keeps the real stdout for protocol lines and sends whatever else in the process writes there (a library's
 * console.log) to stderr, so a caller reading stdout never meets a line that is not the protocol's.
 */
function reserveStdoutForProtocol(): (text: string) => boolean {
  const stdout = process.stdout;
  const originalWrite = stdout.write.bind(stdout);
  stdout.write = process.stderr.write.bind(process.stderr);
  return (text) => originalWrite(text);
}

/** Loopback only. The one-time sign-in link goes only to a terminal: stderr is often kept in a log. */
async function bindDashboard(core: Core, port: number, logger: Logger): Promise<BoundProxy> {
  const proxy = await bindProxy(core, { host: '127.0.0.1', port }).catch((error: Error) => {
    throw new Error(
      error instanceof PortInUseError ? `${error.message}; pick another with --port` : error.message,
    );
  });
  const url = proxy.running.url;
  logger.info({ url }, 'HTTP API, dashboard and /metrics listening');
  const signIn = process.stderr.isTTY
    ? `${url}${DASHBOARD_PATH}/#login=${core.mintDashboardLogin()}`
    : 'sign in with the admin token you set in KIRO_DOCK_ADMIN_TOKEN';
  process.stderr.write(`kiro-dock daemon: dashboard at ${url}${DASHBOARD_PATH}/ (${signIn})\n`);
  return proxy;
}
