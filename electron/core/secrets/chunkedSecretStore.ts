/**
 * Secrets of any length on keychains that cap one entry: Windows Credential Manager refuses a credential blob
 * above 2,560 bytes, and the keychain binding stores a password there as UTF-16, so an entry holds at most 1,280
 * UTF-16 code units (docs/os-keychains.md). A value that fits is one entry under its own name, exactly as older
 * versions wrote it, so those entries are read unchanged. A longer one is split into chunk entries of a fresh
 * generation, and only then is the entry under its name replaced by a small manifest naming that generation:
 * a crash between chunk writes leaves the old value in force, a crash after the switch leaves only orphans.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SecretStore } from '../ports.ts';

/** One keychain entry per name, as the OS offers it; each write replaces a whole entry. */
export interface KeychainEntries {
  read(name: string): Promise<string | undefined>;
  write(name: string, value: string): Promise<void>;
  /** Deleting a missing entry is not an error. */
  remove(name: string): Promise<void>;
}

/** Below Windows' 1,280 UTF-16 units, with room to spare for the binding's own framing. */
export const MAX_ENTRY_UTF16_UNITS = 1_200;

const MANIFEST_PREFIX = 'kiro-dock-chunks:v1:';
/** A reader can meet a manifest whose chunks a writer is just replacing; it starts over from the new one. */
const READ_ATTEMPTS = 3;

interface Manifest {
  generation: string;
  count: number;
  sha256: string;
  /** The generation this one replaced: removed again on the next write, in case the process died first. */
  previous?: { generation: string; count: number };
}

export function createChunkedSecretStore(entries: KeychainEntries, kind: SecretStore['kind']): SecretStore {
  return {
    kind,
    get: (name) => readValue(entries, name),
    async set(name, value) {
      const old = replacedManifestOf(await entries.read(name));
      const pieces = splitIntoChunks(value);
      if (pieces.length === 1 && !value.startsWith(MANIFEST_PREFIX)) {
        await entries.write(name, value);
      } else {
        const manifest = newManifest(value, pieces.length, old);
        // Chunks first: until the manifest names them, nobody reads them.
        for (const [index, piece] of pieces.entries())
          await entries.write(chunkName(name, manifest.generation, index), piece);
        await entries.write(name, MANIFEST_PREFIX + JSON.stringify(manifest));
      }
      await removeGenerations(entries, name, old);
    },
    async delete(name) {
      const old = replacedManifestOf(await entries.read(name));
      // The manifest goes first, so no manifest ever names a missing chunk.
      await entries.remove(name);
      await removeGenerations(entries, name, old);
    },
  };
}

async function readValue(entries: KeychainEntries, name: string): Promise<string | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    const head = await entries.read(name);
    const manifest = manifestOf(head);
    if (!manifest) return head;
    const pieces = await Promise.all(
      Array.from({ length: manifest.count }, (_unused, index) =>
        entries.read(chunkName(name, manifest.generation, index)),
      ),
    );
    const value = pieces.every((piece) => piece !== undefined) ? pieces.join('') : undefined;
    if (value !== undefined && sha256(value) === manifest.sha256) return value;
    if (attempt === READ_ATTEMPTS)
      throw new Error(
        `The keychain entry "${name}" is stored in ${manifest.count} parts and some are missing or changed. ` +
          'Remove the account and sign in again.',
      );
  }
}

/** Splits at code points (never inside a surrogate pair) into pieces of at most MAX_ENTRY_UTF16_UNITS. */
export function splitIntoChunks(value: string, maxUnits = MAX_ENTRY_UTF16_UNITS): string[] {
  if (value.length <= maxUnits) return [value];
  const pieces: string[] = [];
  let current = '';
  for (const codePoint of value) {
    if (current.length + codePoint.length > maxUnits) {
      pieces.push(current);
      current = '';
    }
    current += codePoint;
  }
  pieces.push(current);
  return pieces;
}

export function chunkName(name: string, generation: string, index: number): string {
  return `${name}#${generation}.${index}`;
}

function newManifest(value: string, count: number, old: Manifest | undefined): Manifest {
  return {
    generation: randomBytes(6).toString('hex'),
    count,
    sha256: sha256(value),
    ...(old && { previous: { generation: old.generation, count: old.count } }),
  };
}

/**
 * Removes the chunks of the replaced manifest and of the one before it (left over by a crash). Nothing names
 * them any more, so a failure here leaves orphans, never a wrong value: it does not fail the write.
 */
async function removeGenerations(entries: KeychainEntries, name: string, old: Manifest | undefined) {
  if (!old) return;
  for (const generation of [old, old.previous]) {
    if (!generation) continue;
    for (let index = 0; index < generation.count; index += 1)
      await entries.remove(chunkName(name, generation.generation, index)).catch(() => undefined);
  }
}

function manifestOf(head: string | undefined): Manifest | undefined {
  if (head === undefined || !head.startsWith(MANIFEST_PREFIX)) return undefined;
  let parsed: Partial<Manifest> | undefined;
  try {
    parsed = JSON.parse(head.slice(MANIFEST_PREFIX.length)) as Partial<Manifest>;
  } catch {
    parsed = undefined;
  }
  if (typeof parsed?.generation !== 'string' || typeof parsed.count !== 'number' || !parsed.sha256)
    throw new Error(
      'A keychain entry of Kiro Dock holds a damaged list of its parts. Remove the account and sign in again.',
    );
  return parsed as Manifest;
}

/** A damaged manifest must not block replacing or deleting it: its parts, unknown, are left as orphans. */
function replacedManifestOf(head: string | undefined): Manifest | undefined {
  try {
    return manifestOf(head);
  } catch {
    return undefined;
  }
}

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}
