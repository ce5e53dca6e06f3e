import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../accounts/kiroAuthFile.ts';
import type { SecretStore } from '../ports.ts';

export const SECRETS_FILE_NAME = 'secrets.json';
/** Changes not yet folded into secrets.json, one JSON line each. */
export const SECRETS_LOG_FILE_NAME = 'secrets.pending.jsonl';

type SecretChange = { set: string; value: string } | { delete: string };

/**
 * Opt-in store for headless servers without a keychain: one JSON file, mode 0600, replaced atomically so a
 * crash mid-write never loses the secrets already stored. Writes are serialised so two updates cannot race.
 *
 * Replacing the file takes milliseconds (read, write, fsync, rename), and a secret that exists only in memory
 * meanwhile may be the one that matters: a rotated refresh token dies with the process. So each change is
 * first appended to a log beside the file, synchronously, inside the set/delete call: when the call returns
 * the change is in the kernel (it survives a kill) and fdatasync'ed (it survives a power cut). Reads apply
 * the log over the file; a rewrite that leaves no other change pending empties it. A change whose rewrite
 * failed is still in the log and lands with the next rewrite.
 */
export function createFileSecretStore(dataDir: string): SecretStore {
  const file = path.join(dataDir, SECRETS_FILE_NAME);
  const log = createChangeLog(dataDir, path.join(dataDir, SECRETS_LOG_FILE_NAME));
  let queue: Promise<unknown> = Promise.resolve();
  let pending = 0;

  async function readAll(): Promise<Record<string, string>> {
    const secrets = await readSecretsFile(file);
    for (const change of await log.read()) applyChange(secrets, change);
    return secrets;
  }

  function update(change: SecretChange): Promise<void> {
    try {
      log.append(change);
    } catch (error) {
      return Promise.reject(error);
    }
    pending += 1;
    const next = queue
      .then(async () => {
        const secrets = await readAll();
        // Applied here as well: another process's rewrite may have emptied the log since the append.
        applyChange(secrets, change);
        await writeFileAtomic(file, JSON.stringify(secrets, null, 2), 0o600);
        // Changes appended meanwhile are not in the file yet: the last rewrite in line empties the log.
        if (pending === 1) log.clear();
      })
      .finally(() => (pending -= 1));
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    kind: 'file',
    // After the writes already asked for: a read never sees the file between a rewrite and its log clean-up.
    get: async (name) => (await queue.then(readAll))[name],
    set: (name, value) => update({ set: name, value }),
    delete: (name) => update({ delete: name }),
  };
}

async function readSecretsFile(file: string): Promise<Record<string, string>> {
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

function applyChange(secrets: Record<string, string>, change: SecretChange): void {
  if ('set' in change) secrets[change.set] = change.value;
  else delete secrets[change.delete];
}

function createChangeLog(dataDir: string, logFile: string) {
  let dirReady = false;
  return {
    /** Synchronous on purpose: nothing else may run before the change is on its way to the disk. */
    append(change: SecretChange): void {
      if (!dirReady) fsSync.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      dirReady = true;
      // Led by a newline too: a line torn by a power cut can then spoil only itself, never the next one.
      const line = Buffer.from(`\n${JSON.stringify(change)}\n`, 'utf8');
      const fd = fsSync.openSync(logFile, 'a', 0o600);
      try {
        if (fsSync.writeSync(fd, line) !== line.length) throw new Error(`${logFile}: short write`);
        fsSync.fdatasyncSync(fd);
      } finally {
        fsSync.closeSync(fd);
      }
    },
    async read(): Promise<SecretChange[]> {
      let text: string;
      try {
        text = await fs.readFile(logFile, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      return text.split('\n').flatMap((line) => parseChange(line) ?? []);
    },
    /**
     * Truncated, not removed: the file keeps its 0600 mode and the next append writes without creating it. A
     * log that cannot be emptied is harmless: replaying changes already in the file changes nothing.
     */
    clear(): void {
      try {
        fsSync.truncateSync(logFile, 0);
      } catch {
        // See above.
      }
    },
  };
}

function parseChange(line: string): SecretChange | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const change = value as Record<string, unknown>;
  if (typeof change['set'] === 'string' && typeof change['value'] === 'string') {
    return { set: change['set'], value: change['value'] };
  }
  return typeof change['delete'] === 'string' ? { delete: change['delete'] } : undefined;
}
