/**
 * The team's secret key for `serve --redis-url` and `accounts --redis-url`: the Kiro accounts' secrets are
 * sealed with it in Redis, so every replica must have the same. From --secret-key-file PATH (a file holding the
 * key, as a container secret is mounted) or KIRO_DOCK_SECRET_KEY; 32 bytes, base64 or hex. A key given wrongly is
 * a usage error (exit 2) before anything is opened; no key at all keeps the accounts local to each replica (see
 * `serve --help`).
 */
import fs from 'node:fs';
import { parseSecretKey, SecretKeyFormatError } from './core/index.ts';
import { UsageError } from './cli/usageError.ts';
import { errorMessage } from '../shared/errorMessage.ts';

export interface SecretKeyFlags {
  'secret-key-file'?: string;
  'redis-url'?: string;
}

export function readTeamSecretKey(
  flags: SecretKeyFlags,
  redisUrl: string | undefined,
  env: NodeJS.ProcessEnv,
  usage: string,
): Buffer | undefined {
  const file = flags['secret-key-file'];
  const fromEnv = env['KIRO_DOCK_SECRET_KEY'] || undefined;
  if (file === undefined && fromEnv === undefined) return undefined;
  // The variable may be set for every command of a replica's container; only the flag is a mistake alone.
  if (redisUrl === undefined && file === undefined) return undefined;
  if (redisUrl === undefined) {
    throw new UsageError(
      '--secret-key-file is only used with --redis-url.',
      'Add --redis-url (or KIRO_DOCK_REDIS_URL) to share the accounts, or leave the key out.',
      usage,
    );
  }
  if (file !== undefined && fromEnv !== undefined) {
    throw new UsageError(
      'Both --secret-key-file and KIRO_DOCK_SECRET_KEY are set.',
      'Give the secret key one way only.',
      usage,
    );
  }
  let text = fromEnv ?? '';
  if (file !== undefined) {
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `--secret-key-file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}).`,
        'Check the path and that this user may read it.',
        usage,
      );
    }
  }
  try {
    return parseSecretKey(text, file !== undefined ? `The key in ${file}` : 'KIRO_DOCK_SECRET_KEY');
  } catch (error) {
    if (error instanceof SecretKeyFormatError) {
      throw new UsageError(error.message, '(The value given is not shown here.)', usage);
    }
    throw error;
  }
}
