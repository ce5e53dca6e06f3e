/**
 * A command line the CLI cannot run as typed: an unknown command or option, a missing or malformed value. It
 * is reported as one line naming the problem and the fix, then the usage of the command it concerns, and the
 * process exits with status 2 — before anything is opened (keychain, data folder), so the real problem is the
 * first thing the user reads.
 */
import { closest, distance } from 'fastest-levenshtein';

export const USAGE_EXIT_CODE = 2;

export class UsageError extends Error {
  /** What the user can do about it ("Run kiro-dock accounts list to see the ids."). */
  readonly fix: string;
  /** The usage text of the command concerned, printed after the line. */
  readonly usage: string;

  constructor(problem: string, fix: string, usage: string) {
    super(problem);
    this.name = 'UsageError';
    this.fix = fix;
    this.usage = usage;
  }

  /** The one line: the problem, then the fix. */
  line(): string {
    return `${this.message} ${this.fix}`;
  }
}

/** Typos within this many edits get a suggestion; further off, a suggestion would be a guess. */
const MAX_SUGGESTION_DISTANCE = 2;

/** The known name a typo most likely meant, if one is close enough. */
export function nearestName(typed: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = closest(typed, [...known]);
  const limit = Math.min(MAX_SUGGESTION_DISTANCE, Math.ceil(typed.length / 2));
  return distance(typed, best) <= limit ? best : undefined;
}

/** "Did you mean X?" when a known name is near, else nothing. */
export function suggestion(typed: string, known: readonly string[], spell = (name: string) => name) {
  const near = nearestName(typed, known);
  return near === undefined ? '' : ` Did you mean ${spell(near)}?`;
}

/** `frobnicate`, `accounts lst`: an unknown command word among the known ones. */
export function unknownCommand(
  where: string,
  typed: string,
  known: readonly string[],
  usage: string,
): UsageError {
  return new UsageError(
    `Unknown ${where} "${typed}".${suggestion(typed, known, (name) => `"${name}"`)}`,
    `Run ${helpCommand(where)} to see them all.`,
    usage,
  );
}

/** "command" → `kiro-dock --help`; "accounts command" → `kiro-dock accounts --help`. */
function helpCommand(where: string): string {
  const parent = where.replace(/\s*command$/, '');
  return parent === '' ? 'kiro-dock --help' : `kiro-dock ${parent} --help`;
}
