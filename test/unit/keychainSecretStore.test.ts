/**
 * Against a real Secret Service (GNOME Keyring on the private bus of test/support/secretService.ts). Without
 * one the tests are skipped with the reason, except in CI, where they must run.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  KeychainUnavailableError,
  createKeychainSecretStore,
} from '../../electron/core/secrets/keychainSecretStore.ts';
import type { SecretStore } from '../../electron/core/ports.ts';
import { MAX_ENTRY_UTF16_UNITS } from '../../electron/core/secrets/chunkedSecretStore.ts';
import {
  SECRET_SERVICE_ADDRESS,
  SECRET_SERVICE_FLAG,
  SECRET_SERVICE_PROBLEM,
} from '../support/secretService.ts';

const available = process.env[SECRET_SERVICE_FLAG] === '1' && !!process.env[SECRET_SERVICE_ADDRESS];
const unavailableReason = `no Secret Service to test against: ${
  process.env[SECRET_SERVICE_PROBLEM] ?? 'the vitest global setup did not start one'
}`;
// A service name of its own per run, so entries never mix with anything else in the keyring.
const service = `kiro-dock-test-${randomBytes(4).toString('hex')}`;
const run = promisify(execFile);
const originalAddress = process.env['DBUS_SESSION_BUS_ADDRESS'];

function useBus(address: string | undefined): void {
  if (address === undefined) delete process.env['DBUS_SESSION_BUS_ADDRESS'];
  else process.env['DBUS_SESSION_BUS_ADDRESS'] = address;
}

if (!available && !process.env['CI']) console.warn(`keychain tests skipped: ${unavailableReason}`);

describe('keychain secret store (real Secret Service)', () => {
  let store: SecretStore;

  beforeAll(async () => {
    if (!available) return;
    useBus(process.env[SECRET_SERVICE_ADDRESS]);
    store = await createKeychainSecretStore({ service });
  });

  beforeEach((context) => {
    if (available) return;
    if (process.env['CI'])
      throw new Error(`CI must run the keychain tests, but there is ${unavailableReason}`);
    context.skip(unavailableReason);
  });

  afterAll(async () => {
    if (available) {
      for (const { account } of await findCredentialsAsync(service)) await store.delete(account);
    }
    useBus(originalAddress);
  });

  it('is a keychain store whose availability probe leaves nothing behind', async () => {
    expect(store.kind).toBe('keychain');
    expect(await findCredentialsAsync(service)).toEqual([]);
  });

  it('stores, reads back, overwrites and deletes a secret', async () => {
    const secrets = JSON.stringify({
      refreshToken: 'r'.repeat(800),
      clientSecret: 'c'.repeat(1500),
      note: 'ü✓',
    });
    await store.set('account:acc_000000000001', secrets);
    expect(await store.get('account:acc_000000000001')).toBe(secrets);
    await store.set('account:acc_000000000001', 'second');
    expect(await store.get('account:acc_000000000001')).toBe('second');
    expect(await findCredentialsAsync(service)).toEqual([
      { account: 'account:acc_000000000001', password: 'second' },
    ]);
    await store.delete('account:acc_000000000001');
    expect(await store.get('account:acc_000000000001')).toBeUndefined();
  });

  it('round-trips a 3,000-character secret in entries no longer than a Windows credential holds', async () => {
    const secret = 's'.repeat(2_999).concat('✓');
    await store.set('account:acc_000000000002', secret);
    expect(await store.get('account:acc_000000000002')).toBe(secret);
    const entries = await findCredentialsAsync(service);
    expect(entries.length).toBeGreaterThan(2);
    for (const { password } of entries) expect(password.length).toBeLessThanOrEqual(MAX_ENTRY_UTF16_UNITS);
    await store.delete('account:acc_000000000002');
    expect(await findCredentialsAsync(service)).toEqual([]);
  });

  it('reads a long single entry an earlier version wrote, and keeps it readable once rewritten', async () => {
    const legacy = JSON.stringify({ clientSecret: 'c'.repeat(2_000) });
    await new AsyncEntry(service, 'account:acc_000000000003', {
      linux: { store: 'secret-service' },
    }).setPassword(legacy);
    expect(await store.get('account:acc_000000000003')).toBe(legacy);
    const rewritten = JSON.stringify({ clientSecret: 'd'.repeat(3_000) });
    await store.set('account:acc_000000000003', rewritten);
    expect(await store.get('account:acc_000000000003')).toBe(rewritten);
    await store.delete('account:acc_000000000003');
    expect(await findCredentialsAsync(service)).toEqual([]);
  });

  it('answers undefined for a missing entry and accepts deleting one', async () => {
    expect(await store.get('account:never-set')).toBeUndefined();
    await expect(store.delete('account:never-set')).resolves.toBeUndefined();
  });

  it('keeps services apart', async () => {
    const other = await createKeychainSecretStore({ service: `${service}-other` });
    await store.set('client-key', 'mine');
    await other.set('client-key', 'theirs');
    expect(await store.get('client-key')).toBe('mine');
    expect(await other.get('client-key')).toBe('theirs');
    await other.delete('client-key');
    expect(await store.get('client-key')).toBe('mine');
  });
});

describe('keychain secret store without a keychain', () => {
  // The keyring library keeps its first D-Bus connection for the life of the process, so the unreachable bus is
  // tried in a process of its own.
  it.runIf(process.platform === 'linux')('refuses to start and says what to do instead', async () => {
    const script = [
      "import { createKeychainSecretStore } from './electron/core/secrets/keychainSecretStore.ts';",
      'const outcome = await createKeychainSecretStore({ service: process.argv[1] }).then(',
      '  (store) => ({ created: store.kind }),',
      '  (error) => ({ name: error.name, message: error.message }),',
      ');',
      'process.stdout.write(JSON.stringify(outcome));',
    ].join('\n');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script, service],
      { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/kiro-dock-test-bus' } },
    );
    const outcome = JSON.parse(stdout) as { name?: string; message?: string };
    expect(outcome.name).toBe(KeychainUnavailableError.name);
    expect(outcome.message).toMatch(/Failed to connect/);
    expect(outcome.message).toMatch(/--secret-store file.*--secret-store memory/s);
  });
});
