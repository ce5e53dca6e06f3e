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
  /** Also write to this file, rotated at 10 MB and daily, keeping 5 old files (pino-roll, in a worker thread). */
  file?: string;
}

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
  return pino.transport({
    targets: [
      { target: 'pino/file', options: { destination: 2 } },
      {
        target: 'pino-roll',
        options: { file, size: '10m', frequency: 'daily', limit: { count: 5 }, mkdir: true },
      },
    ],
  }) as pino.DestinationStream;
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
