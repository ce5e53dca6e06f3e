/**
 * `npx tsx test/emulator/cli.ts [--port N] [--ttfb MS] [--delay MS] [--chunks N] [--no-strict]`
 *
 * Starts the Kiro emulator with one social demo account and prints one JSON line `{url, account}` on stdout,
 * which is what benchmarks and manual runs read. SIGINT / SIGTERM close it.
 */
import { parseArgs } from 'node:util';
import { startKiroEmulator, type EmulatorOptions } from './kiroEmulator.ts';

function numberOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} needs a whole number ≥ 0, got ${String(raw)}`);
  return value;
}

function optionsFromArgs(args: string[]): EmulatorOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      ttfb: { type: 'string' },
      delay: { type: 'string' },
      chunks: { type: 'string' },
      'no-strict': { type: 'boolean' },
    },
  });
  return {
    port: numberOption(values, 'port') ?? 0,
    timeToFirstByteMs: numberOption(values, 'ttfb'),
    interFrameDelayMs: numberOption(values, 'delay'),
    chunkCount: numberOption(values, 'chunks'),
    strict: !values['no-strict'],
  };
}

const emulator = await startKiroEmulator(optionsFromArgs(process.argv.slice(2)));
const account = emulator.createSocialAccount();
process.stdout.write(`${JSON.stringify({ url: emulator.url, account })}\n`);

const stop = () => void emulator.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
