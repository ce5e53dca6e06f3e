import { randomBytes } from 'node:crypto';
import type { SecretStore } from '../ports.ts';

const CLIENT_KEY_SECRET = 'client-key';

export interface ResolvedClientKey {
  key: string;
  /** Where it came from; 'generated' means it was just created and should be shown to the user once. */
  origin: 'environment' | 'store' | 'generated';
}

/**
 * The key clients present to Kiro Dock: the one the user set, else the stored one, else a new random one
 * (never a guessable default) that is stored for the next start.
 */
export async function resolveClientKey(
  store: SecretStore,
  fromEnvironment?: string,
): Promise<ResolvedClientKey> {
  if (fromEnvironment && fromEnvironment.trim().length > 0)
    return { key: fromEnvironment.trim(), origin: 'environment' };
  const stored = await store.get(CLIENT_KEY_SECRET);
  if (stored) return { key: stored, origin: 'store' };
  return { key: await storeNewClientKey(store), origin: 'generated' };
}

/** A new random client key, stored in place of the old one (which the next start will no longer accept). */
export async function storeNewClientKey(store: SecretStore): Promise<string> {
  const key = `kd-${randomBytes(24).toString('base64url')}`;
  await store.set(CLIENT_KEY_SECRET, key);
  return key;
}
