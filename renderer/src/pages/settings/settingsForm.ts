/** What the settings forms compute: numbers typed by the user, units, and server validation messages. */

/** A number the user typed, or undefined when the text is not one (empty, "abc", "1e999"). */
export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

export type PortProblem = 'notANumber' | 'outOfRange' | 'privileged';

/**
 * What is wrong with a port typed into the form, checked before saving so the user reads a sentence rather than
 * the server's schema text. Below 1024 a port needs administrator rights on macOS and Linux: the proxy would not
 * start there.
 */
export function portProblem(port: number | undefined): PortProblem | undefined {
  if (port === undefined) return 'notANumber';
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return 'outOfRange';
  return port < 1_024 ? 'privileged' : undefined;
}

/** Seconds in the form, milliseconds in the API. */
export function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1_000);
}

export function msToSecondsText(ms: number): string {
  return String(Math.round(ms) / 1_000);
}

const BYTES_PER_MB = 1_048_576;

export function mbToBytes(mb: number): number {
  return Math.round(mb * BYTES_PER_MB);
}

export function bytesToMbText(bytes: number): string {
  return String(Math.round((bytes / BYTES_PER_MB) * 100) / 100);
}

/**
 * The setting paths a server validation message names ("Invalid request: listen.port: Too big; …"), so the
 * form can mark those fields as invalid next to the message.
 */
export function invalidPaths(message: string | undefined): Set<string> {
  if (!message) return new Set();
  return new Set([...message.matchAll(/([A-Za-z]+(?:\.[A-Za-z]+)+|[A-Za-z]+): /g)].map((match) => match[1]!));
}

/** Loopback names only; anything else is reachable from other machines. */
export function isLoopbackHost(host: string): boolean {
  const normalised = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return normalised === 'localhost' || normalised === '::1' || /^127(\.\d{1,3}){3}$/.test(normalised);
}
