#!/usr/bin/env node
/**
 * `kiro-dock` on the command line: the headless host of the same core the desktop app runs. Each command is
 * one entry of COMMANDS (electron/cli/cliCommand.ts says what an entry is).
 */
import { readFileSync } from 'node:fs';
import { accountsCommand } from './accountsCommand.ts';
import type { CliCommand, CliContext } from './cli/cliCommand.ts';
import { unknownCommand, UsageError, USAGE_EXIT_CODE } from './cli/usageError.ts';
import { chatCommand } from './daemon/chatCommand.ts';
import { daemonCommand } from './daemon/daemonCommand.ts';
import { keysCommand } from './keysCommand.ts';
import { serveCommand } from './serveCommand.ts';
import { usageCommand } from './usageCommand.ts';
import { errorMessage } from '../shared/errorMessage.ts';

const COMMANDS: Record<string, CliCommand> = {
  serve: serveCommand,
  accounts: accountsCommand,
  keys: keysCommand,
  usage: usageCommand,
  daemon: daemonCommand,
  chat: chatCommand,
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  const lines = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(width)} ${summary}`);
  return `Usage: kiro-dock <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help     Show help (also: kiro-dock <command> --help)
  -v, --version  Show the version
`;
}

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
  const [name, ...rest] = argv;
  const context: CliContext = { version: version(), out: (line) => process.stdout.write(`${line}\n`) };
  if (name === '-v' || name === '--version') {
    context.out(context.version);
    return 0;
  }
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    if (name.startsWith('-'))
      throw new UsageError(`Unknown option ${name}.`, 'Options go after the command.', usage());
    throw unknownCommand('command', name, Object.keys(COMMANDS), usage());
  }
  return command.run(rest, context);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`kiro-dock: ${error.line()}\n\n${error.usage}`);
      process.exitCode = USAGE_EXIT_CODE;
      return;
    }
    process.stderr.write(`kiro-dock: ${errorMessage(error)}\n`);
    process.exitCode = 1;
  },
);
