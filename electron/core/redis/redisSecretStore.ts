/**
 * The accounts' secrets shared by replicas: one Redis hash, each value sealed under the team's secret key with its
 * entry name authenticated (secrets/secretEnvelope.ts), so nothing in Redis, its dumps or its replication
 * stream holds a token in clear. A key check entry, sealed by the first replica, makes a replica started with
 * another key stop at once with a clear message instead of failing on each account later.
 */
import type { Redis } from 'ioredis';
import type { SecretStore } from '../ports.ts';
import { openSecret, sealSecret, SecretKeyMismatchError } from '../secrets/secretEnvelope.ts';

const SECRETS_HASH = 'kiro-dock:secrets';
const KEY_CHECK = 'kiro-dock:secret-key-check';
const KEY_CHECK_TEXT = 'kiro-dock secret key check';

export async function createRedisSecretStore(commands: Redis, key: Buffer): Promise<SecretStore> {
  await checkSecretKey(commands, key);
  return {
    kind: 'redis',
    async get(name) {
      const sealed = await commands.hget(SECRETS_HASH, name);
      return sealed === null ? undefined : openSecret(key, name, sealed);
    },
    async set(name, value) {
      await commands.hset(SECRETS_HASH, name, sealSecret(key, name, value));
    },
    async delete(name) {
      await commands.hdel(SECRETS_HASH, name);
    },
  };
}

async function checkSecretKey(commands: Redis, key: Buffer): Promise<void> {
  await commands.set(KEY_CHECK, sealSecret(key, KEY_CHECK, KEY_CHECK_TEXT), 'NX');
  const stored = await commands.get(KEY_CHECK);
  let opened: string | undefined;
  try {
    opened = stored === null ? undefined : openSecret(key, KEY_CHECK, stored);
  } catch {
    opened = undefined;
  }
  if (opened !== KEY_CHECK_TEXT) {
    throw new SecretKeyMismatchError(
      'This secret key is not the one the other replicas on this Redis use: give every replica the same ' +
        'KIRO_DOCK_SECRET_KEY (or --secret-key-file). To start over with a new key, delete the kiro-dock:secrets ' +
        `hash and the ${KEY_CHECK} key in Redis, then add the accounts again.`,
    );
  }
}
