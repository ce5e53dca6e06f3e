import { UsageError } from './usageError.ts';

/** `--port` as typed: undefined when absent; a whole number 0–65535 (0: any free port), else a UsageError. */
export function portFlag(flag: string | undefined, usage: string): number | undefined {
  if (flag === undefined) return undefined;
  const port = /^\d+$/.test(flag.trim()) ? Number(flag) : NaN;
  if (port >= 0 && port <= 65_535) return port;
  throw new UsageError(
    `--port must be a whole number from 0 to 65535, not ${JSON.stringify(flag)}.`,
    'For example --port 8766 (0 picks a free port).',
    usage,
  );
}
