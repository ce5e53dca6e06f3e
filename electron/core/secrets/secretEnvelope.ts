/**
 * Secrets kept where others can read them (Redis, shared by replicas) are sealed with AES-256-GCM under the
 * team's secret key (KIRO_DOCK_SECRET_KEY or --secret-key-file). The envelope is versioned,
 * `kd1.<iv>.<tag>.<ciphertext>` in base64url, and the entry's name is authenticated with it, so a value copied
 * to another entry (account A's tokens put under account B) does not open, just as a tampered one does not.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'kd1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_BYTES = 32;

/** Where to set the key, for messages that tell the user what to do. */
const WHERE_THE_KEY_IS_SET = 'KIRO_DOCK_SECRET_KEY (or --secret-key-file)';

/** The key is not the one this entry was sealed with, or the entry was changed: it cannot be opened. */
export class SecretKeyMismatchError extends Error {
  override name = 'SecretKeyMismatchError';
}

/** A secret key of the wrong size or encoding. */
export class SecretKeyFormatError extends Error {
  override name = 'SecretKeyFormatError';
}

/**
 * The 32-byte key written as 64 hex digits or as base64 / base64url (`openssl rand -base64 32`); surrounding
 * whitespace (a key file's newline) is ignored.
 */
export function parseSecretKey(text: string, from: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : undefined;
  if (key?.length !== SECRET_KEY_BYTES) {
    throw new SecretKeyFormatError(
      `${from} must be ${SECRET_KEY_BYTES} bytes written as base64 or as 64 hex digits; make one with ` +
        '`openssl rand -base64 32` and give every replica the same.',
    );
  }
  return key;
}

export function sealSecret(key: Buffer, name: string, value: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(name));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Throws SecretKeyMismatchError when the key, the name or the envelope do not match; never returns garbage. */
export function openSecret(key: Buffer, name: string, envelope: string): string {
  const [version, iv, tag, ciphertext, ...rest] = envelope.split('.');
  if (
    version !== VERSION ||
    iv === undefined ||
    tag === undefined ||
    ciphertext === undefined ||
    rest.length
  ) {
    throw new SecretKeyMismatchError(
      `The stored secret "${name}" is not a ${VERSION} envelope (written in clear, or by a newer Kiro Dock): ` +
        'store it again from this version (remove the account and add it again).',
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(additionalData(name));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SecretKeyMismatchError(
      `The stored secret "${name}" cannot be opened with this secret key: it was sealed with another key, or ` +
        `changed. Give every replica the same ${WHERE_THE_KEY_IS_SET}; if the key was lost, add the accounts ` +
        'again.',
    );
  }
}

function additionalData(name: string): Buffer {
  return Buffer.from(`kiro-dock secret ${name}`, 'utf8');
}
