/**
 * The sealed secrets replicas keep in Redis: a value opens only with its key and under its own entry name, a
 * changed byte anywhere is refused, and every refusal says what to do instead of returning garbage.
 */
import { describe, expect, it } from 'vitest';
import {
  openSecret,
  parseSecretKey,
  sealSecret,
  SecretKeyFormatError,
  SecretKeyMismatchError,
} from '../../electron/core/secrets/secretEnvelope.ts';

const KEY = parseSecretKey(Buffer.alloc(32, 1).toString('base64'), 'KIRO_DOCK_SECRET_KEY');
const OTHER_KEY = parseSecretKey('2f'.repeat(32), 'KIRO_DOCK_SECRET_KEY');
const SECRET = JSON.stringify({ accessToken: 'aoa-secret-access', refreshToken: 'aor-secret-refresh' });

describe('secret envelope', () => {
  it('seals into a kd1 envelope that holds nothing in clear and opens back', () => {
    const sealed = sealSecret(KEY, 'account:acc_1', SECRET);
    expect(sealed).toMatch(/^kd1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('aoa-secret-access');
    expect(Buffer.from(sealed.split('.')[3]!, 'base64url').toString('utf8')).not.toContain('secret');
    expect(openSecret(KEY, 'account:acc_1', sealed)).toBe(SECRET);
  });

  it('uses a fresh IV each time: the same secret never seals the same way twice', () => {
    expect(sealSecret(KEY, 'account:acc_1', SECRET)).not.toBe(sealSecret(KEY, 'account:acc_1', SECRET));
  });

  it('refuses a tampered IV, tag or ciphertext', () => {
    const sealed = sealSecret(KEY, 'account:acc_1', SECRET);
    for (const part of [1, 2, 3]) {
      const parts = sealed.split('.');
      const bytes = Buffer.from(parts[part]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      parts[part] = bytes.toString('base64url');
      expect(() => openSecret(KEY, 'account:acc_1', parts.join('.')), `part ${part}`).toThrow(
        SecretKeyMismatchError,
      );
    }
  });

  it('refuses the wrong key, naming the setting to fix', () => {
    const sealed = sealSecret(KEY, 'account:acc_1', SECRET);
    expect(() => openSecret(OTHER_KEY, 'account:acc_1', sealed)).toThrow(
      /"account:acc_1" cannot be opened with this secret key.*same KIRO_DOCK_SECRET_KEY \(or --secret-key-file\)/,
    );
  });

  it('refuses a value moved to another entry', () => {
    const sealed = sealSecret(KEY, 'account:acc_1', SECRET);
    expect(() => openSecret(KEY, 'account:acc_2', sealed)).toThrow(SecretKeyMismatchError);
  });

  it('refuses a value stored in clear or in an unknown envelope', () => {
    expect(() => openSecret(KEY, 'account:acc_1', SECRET)).toThrow(/is not a kd1 envelope/);
    const sealed = sealSecret(KEY, 'account:acc_1', SECRET);
    expect(() => openSecret(KEY, 'account:acc_1', sealed.replace(/^kd1/, 'kd2'))).toThrow(/not a kd1/);
  });

  it('takes a key as base64, base64url or hex, with a trailing newline, and nothing else', () => {
    const bytes = Buffer.alloc(32, 0xfb);
    for (const text of [
      bytes.toString('base64'),
      bytes.toString('base64url'),
      `${bytes.toString('hex')}\n`,
    ]) {
      expect(parseSecretKey(text, 'the key file').equals(bytes)).toBe(true);
    }
    for (const text of [
      '',
      'short',
      Buffer.alloc(16).toString('base64'),
      'ab'.repeat(33),
      'not a key at all!',
    ]) {
      expect(() => parseSecretKey(text, 'KIRO_DOCK_SECRET_KEY'), text).toThrow(SecretKeyFormatError);
    }
    expect(() => parseSecretKey('short', 'KIRO_DOCK_SECRET_KEY')).toThrow(
      /KIRO_DOCK_SECRET_KEY must be 32 bytes .*openssl rand -base64 32/,
    );
  });
});
