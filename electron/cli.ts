#!/usr/bin/env node
/**
 * `kiro-dock` on the command line: the headless host of the same core the desktop app runs.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { runAccounts } from './accountsCommand.ts';
import { runKeys } from './keysCommand.ts';
import { runUsage } from './usageCommand.ts';
import { CHAT_HELP, runChat } from './daemon/chatCommand.ts';
import { DAEMON_HELP, runDaemon } from './daemon/daemonCommand.ts';
import { HEADLESS_OPTIONS } from './headlessHost.ts';
import { runServe, SERVE_HELP } from './serveCommand.ts';

const USAGE = `Usage: kiro-dock <command> [options]

Commands:
  serve        Run the proxy (Anthropic /v1/messages and OpenAI /v1/chat/completions)
  accounts     List, add, remove, import and export Kiro accounts
  keys         Create, list and revoke the team's client keys (budgets, models, rate limits)
  usage        Export the usage ledger as CSV or JSON
  daemon       A long-lived model process: JSON Lines requests on stdin, answers on stdout
  chat         One prompt on stdin, its answer on stdout

Options:
  -h, --help     Show help
  -v, --version  Show the version
`;

/** package.json sits one folder up from electron/cli.ts and two up from dist/electron/cli.js. */
function version(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'kiro-dock' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return 'unknown';
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (command === 'accounts') {
    return runAccounts(rest, (line) => process.stdout.write(`${line}\n`));
  }
  if (command === 'keys') return runKeys(rest, (line) => process.stdout.write(`${line}\n`));
  if (command === 'usage') return runUsage(rest, (text) => process.stdout.write(text));
  if (command === 'serve') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        ...HEADLESS_OPTIONS,
        host: { type: 'string' },
        port: { type: 'string' },
        'ide-write-back': { type: 'string' },
        'redis-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(SERVE_HELP);
      return 0;
    }
    return runServe(values, version());
  }
  if (command === 'daemon' || command === 'chat') return runPromptCommand(command, rest);
  process.stdout.write(USAGE);
  return command === undefined || command === '-h' || command === '--help' ? 0 : 2;
}

/** `daemon` and `chat` take serve's store and account flags, and the model. */
const CHAT_OPTIONS = {
  ...HEADLESS_OPTIONS,
  model: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DAEMON_OPTIONS = { ...CHAT_OPTIONS, port: { type: 'string' } } as const;

async function runPromptCommand(command: 'daemon' | 'chat', args: string[]): Promise<number> {
  if (command === 'daemon') {
    const { values } = parseArgs({ args, strict: true, options: DAEMON_OPTIONS });
    if (!values.help) return runDaemon(values, version());
    process.stdout.write(DAEMON_HELP);
    return 0;
  }
  const { values } = parseArgs({ args, strict: true, options: CHAT_OPTIONS });
  if (!values.help) return runChat(values, version());
  process.stdout.write(CHAT_HELP);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`kiro-dock: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
