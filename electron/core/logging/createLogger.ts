import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { Logger } from '../ports.ts';

/**
 * Structured JSON logs. Anything that could hold a secret is redacted by path, in addition to the rule that
 * code never puts tokens into log fields.
 */
export const REDACTED_PATHS = [
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.apiKey',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
];

export interface LoggerOptions {
  level?: string;
  destination?: pino.DestinationStream;
  /**
   * Also write to this file, rotated at 10 MB and daily, keeping 5 old files (pino-roll, in a worker thread),
   * readable by the user only.
   */
  file?: string;
}

/** Logs name accounts, paths and request metadata: the user's business only. */
const LOG_FILE_MODE = 0o600;
const LOG_DIR_MODE = 0o700;

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'kiro-dock' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? destinationFor(options.file),
  );
}

function destinationFor(file: string | undefined): pino.DestinationStream {
  if (!file) return pino.destination({ fd: 2, sync: false });
  ownerOnlyLogFolder(file);
  return pino.transport({
    targets: [
      { target: 'pino/file', options: { destination: 2 } },
      {
        target: 'pino-roll',
        // `mode` reaches sonic-boom, which creates each new file with it.
        options: {
          file,
          size: '10m',
          frequency: 'daily',
          limit: { count: 5 },
          mkdir: true,
          mode: LOG_FILE_MODE,
        },
      },
    ],
  });
}

/**
 * Creates the log folder owner-only, and narrows log files an earlier run left readable to others (pino-roll
 * appends to today's file). Best effort: a folder that cannot be read is pino-roll's to report.
 */
function ownerOnlyLogFolder(file: string): void {
  const folder = path.dirname(path.resolve(file));
  const extension = path.extname(file);
  // pino-roll's names: `kiro-dock.3.log` for `kiro-dock.log`; nothing else in the folder is touched.
  const rolled = new RegExp(`^${escaped(path.basename(file, extension))}\\.\\d+${escaped(extension)}$`);
  try {
    fs.mkdirSync(folder, { recursive: true, mode: LOG_DIR_MODE });
    for (const name of fs.readdirSync(folder)) {
      if (!rolled.test(name)) continue;
      const existing = path.join(folder, name);
      const stat = fs.lstatSync(existing);
      if (stat.isFile() && (stat.mode & 0o077) !== 0) fs.chmodSync(existing, LOG_FILE_MODE);
    }
  } catch {
    // pino-roll reports an unusable folder itself
  }
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
