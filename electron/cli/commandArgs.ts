/**
 * `util.parseArgs` for one command, with its failures turned into UsageErrors that name the option and the
 * fix (Node's own texts talk about positionals and `--` and are no help to someone who mistyped `--json`).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggestion, UsageError } from './usageError.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  /** As typed after `kiro-dock`: "serve", "accounts". */
  name: string;
  usage: string;
  options: O;
  allowPositionals?: boolean;
}

export function parseCommandArgs<O extends Options>(spec: CommandSpec<O>, args: string[]) {
  try {
    return parseArgs({
      args,
      options: spec.options,
      allowPositionals: spec.allowPositionals ?? false,
      strict: true,
    });
  } catch (error) {
    throw usageErrorOf(spec, error);
  }
}

interface NodeError {
  code?: string;
  message: string;
}

function usageErrorOf(spec: CommandSpec<Options>, error: unknown): unknown {
  const { code, message } = (error ?? {}) as NodeError;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return error;
  const help = `Run kiro-dock ${spec.name} --help for its options.`;
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const known = Object.keys(spec.options).map((name) => `--${name}`);
    return new UsageError(
      `Unknown option ${option} for ${spec.name}.${suggestion(option, known)}`,
      help,
      spec.usage,
    );
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const name = option.replace(/^-+/, '');
    const takesValue = spec.options[name]?.type === 'string';
    const problem = takesValue ? `${option} needs a value.` : `${option} takes no value.`;
    const fix = takesValue ? `Write it as ${option} VALUE.` : `Write just ${option}.`;
    return new UsageError(problem, fix, spec.usage);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const extra = /'([^']*)'/.exec(message)?.[1] ?? '';
    return new UsageError(`${spec.name} takes no argument "${extra}".`, help, spec.usage);
  }
  return new UsageError(message, help, spec.usage);
}
