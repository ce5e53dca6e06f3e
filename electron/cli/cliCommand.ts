/**
 * What one `kiro-dock <command>` is to the entry point: a one-line summary for the top-level usage and a
 * `run` that takes the arguments after the command's name. A command parses them with `parseCommandArgs`,
 * and throws a UsageError for anything typed wrong (before it opens a store); the entry point prints it and
 * exits 2. Any other error is a failure of the command (status 1).
 */
export interface CliCommand {
  summary: string;
  run(args: string[], context: CliContext): Promise<number>;
}

export interface CliContext {
  version: string;
  /** One line to stdout. */
  out(line: string): void;
}

/** `-h` / `--help` as every command declares it. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;
