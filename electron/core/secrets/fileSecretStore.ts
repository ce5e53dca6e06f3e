import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../accounts/kiroAuthFile.ts';
import type { SecretStore } from '../ports.ts';

export const SECRETS_FILE_NAME = 'secrets.json';

/**
 * Opt-in store for headless servers without a keychain: one JSON file, mode 0600, replaced atomically so a
 * crash mid-write never loses the secrets already stored. Writes are serialised so two updates cannot race.
 */
export function createFileSecretStore(dataDir: string): SecretStore {
  const file = path.join(dataDir, SECRETS_FILE_NAME);
  let queue: Promise<unknown> = Promise.resolve();

  async function readAll(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`${file} is not a JSON object; refusing to overwrite it.`);
    }
    return value as Record<string, string>;
  }

  function update(change: (secrets: Record<string, string>) => void): Promise<void> {
    const next = queue.then(async () => {
      const secrets = await readAll();
      change(secrets);
      await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, JSON.stringify(secrets, null, 2), 0o600);
    });
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    kind: 'file',
    get: async (name) => (await readAll())[name],
    set: (name, value) => update((secrets) => void (secrets[name] = value)),
    delete: (name) => update((secrets) => void delete secrets[name]),
  };
}
