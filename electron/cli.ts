#!/usr/bin/env node
/**
 * `kiro-dock` on the command line: the headless host of the same core the desktop app runs.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { runAccounts } from './accountsCommand.ts';
import { runServe, SERVE_HELP } from './serveCommand.ts';

const USAGE = `Usage: kiro-dock <command> [options]

Commands:
  serve        Run the proxy (Anthropic /v1/messages and OpenAI /v1/chat/completions)
  accounts     List, add, remove, import and export Kiro accounts

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
  if (command === 'serve') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'secret-store': { type: 'string', default: 'auto' },
        'kiro-auth-dir': { type: 'string' },
        'no-ide': { type: 'boolean' },
        'ide-write-back': { type: 'string' },
        'max-concurrency': { type: 'string' },
        region: { type: 'string' },
        'log-level': { type: 'string' },
        'log-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(SERVE_HELP);
      return 0;
    }
    return runServe(values, version());
  }
  process.stdout.write(USAGE);
  return command === undefined || command === '-h' || command === '--help' ? 0 : 2;
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
