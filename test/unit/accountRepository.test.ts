import { describe, expect, it } from 'vitest';
import { AccountNotFoundError } from '../../electron/core/accounts/accountErrors.ts';
import type { AccountSecrets, AccountState } from '../../electron/core/accounts/accountModel.ts';
import {
  createAccountRepository,
  type AccountRepository,
  type NewAccount,
} from '../../electron/core/accounts/accountRepository.ts';
import type { SecretStore, SettingsStore } from '../../electron/core/ports.ts';
import { createMemorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { createFakeClock } from '../support/fakeClock.ts';

const SECRETS: AccountSecrets = {
  accessToken: 'aoa-access-token-value',
  refreshToken: 'aor-refresh-token-value',
  expiresAt: Date.UTC(2026, 0, 1, 1),
};

const NEW_ACCOUNT: NewAccount = {
  label: 'Work',
  source: 'manual',
  authMethod: 'social',
  provider: 'Github',
  region: 'us-east-1',
  disabled: false,
};

const RELOGIN: AccountState = {
  kind: 'needs_relogin',
  reason: 'refresh token rejected',
  howToFix: 'Sign in again.',
};

type Operation = `${'secret' | 'settings'}.${string}`;

/**
 * Stores that log every write, in one shared journal, and can be told to fail a secret operation or to hold
 * secret writes until a gate opens.
 */
function createSpiedStores() {
  const journal: Operation[] = [];
  const failing = new Set<'set' | 'delete'>();
  const control: { gate?: Promise<void> } = {};
  const secretStore = createMemorySecretStore();
  const settingsStore = createMemorySettingsStore();
  const secrets: SecretStore = {
    kind: 'memory',
    get: (name) => secretStore.get(name),
    async set(name, value) {
      if (failing.has('set')) throw new Error('keychain locked');
      await control.gate;
      journal.push(`secret.set ${name}`);
      await secretStore.set(name, value);
    },
    async delete(name) {
      if (failing.has('delete')) throw new Error('keychain locked');
      journal.push(`secret.delete ${name}`);
      await secretStore.delete(name);
    },
  };
  const settings: SettingsStore & { simulateExternalChange(): void } = {
    ...settingsStore,
    set(key, value) {
      journal.push(`settings.set ${key}`);
      settingsStore.set(key, value);
    },
    delete(key) {
      journal.push(`settings.delete ${key}`);
      settingsStore.delete(key);
    },
  };
  return { journal, failing, control, secrets, settings, rawSecrets: secretStore };
}

function setup() {
  const stores = createSpiedStores();
  const clock = createFakeClock();
  const repository = createAccountRepository({ settings: stores.settings, secrets: stores.secrets, clock });
  return { ...stores, clock, repository };
}

function countChanges(repository: AccountRepository) {
  const counter = { count: 0, stop: () => {} };
  counter.stop = repository.onChange(() => (counter.count += 1));
  return counter;
}

describe('account repository: add', () => {
  it('stores the secret first, then the record, with a generated id and addedAt', async () => {
    const { repository, journal, clock } = setup();
    const record = await repository.add(NEW_ACCOUNT, SECRETS);
    expect(record.id).toMatch(/^acc_[0-9a-f]{12}$/);
    expect(record.addedAt).toBe(clock.now());
    expect(journal).toEqual([`secret.set account:${record.id}`, 'settings.set accounts']);
    expect(repository.list()).toEqual([record]);
    expect(await repository.readSecrets(record.id)).toEqual(SECRETS);
  });

  it('generates a different id for each account and keeps the order of addition', async () => {
    const { repository } = setup();
    const first = await repository.add({ ...NEW_ACCOUNT, label: 'one' }, SECRETS);
    const second = await repository.add({ ...NEW_ACCOUNT, label: 'two' }, SECRETS);
    expect(first.id).not.toBe(second.id);
    expect(repository.list().map((record) => record.label)).toEqual(['one', 'two']);
  });

  it('keeps a given id and addedAt', async () => {
    const { repository } = setup();
    const record = await repository.add({ ...NEW_ACCOUNT, id: 'acc_0123456789ab', addedAt: 42 }, SECRETS);
    expect(record).toMatchObject({ id: 'acc_0123456789ab', addedAt: 42 });
    expect(repository.get('acc_0123456789ab')?.label).toBe('Work');
  });

  it('leaves no account behind when storing the secret fails', async () => {
    const { repository, failing, journal } = setup();
    failing.add('set');
    await expect(repository.add(NEW_ACCOUNT, SECRETS)).rejects.toThrow('keychain locked');
    expect(repository.list()).toEqual([]);
    expect(journal).toEqual([]);
  });

  it('refuses a duplicate id without touching the existing account’s secret', async () => {
    const { repository } = setup();
    const record = await repository.add(NEW_ACCOUNT, SECRETS);
    await expect(repository.add({ ...NEW_ACCOUNT, id: record.id }, { apiKey: 'ksk_other' })).rejects.toThrow(
      'already exists',
    );
    expect(await repository.readSecrets(record.id)).toEqual(SECRETS);
    expect(repository.list()).toHaveLength(1);
  });

  it('never writes a secret into the settings', async () => {
    const { repository, settings } = setup();
    const record = await repository.add(NEW_ACCOUNT, SECRETS);
    await repository.writeSecrets(record.id, { ...SECRETS, accessToken: 'aoa-rotated-access-token' });
    repository.persistState(record.id, RELOGIN);
    const stored = JSON.stringify([settings.get('accounts'), settings.get('accountStates')]);
    expect(stored).toContain(record.id);
    for (const secret of ['aoa-access-token-value', 'aor-refresh-token-value', 'aoa-rotated-access-token']) {
      expect(stored).not.toContain(secret);
    }
  });
});

describe('account repository: update', () => {
  it('patches the record but never its id or addedAt', async () => {
    const { repository } = setup();
    const record = await repository.add(NEW_ACCOUNT, SECRETS);
    const patch = { label: 'Renamed', disabled: true, id: 'acc_ffffffffffff', addedAt: 1 };
    const updated = repository.update(record.id, patch);
    expect(updated).toEqual({ ...record, label: 'Renamed', disabled: true });
    expect(repository.get(record.id)).toEqual(updated);
  });

  it('throws AccountNotFoundError for an unknown id', () => {
    const { repository } = setup();
    expect(() => repository.update('acc_000000000000', { label: 'x' })).toThrow(AccountNotFoundError);
  });
});

describe('account repository: remove', () => {
  it('removes the record first, then the secret, and forgets its persisted state', async () => {
    const { repository, journal, rawSecrets } = setup();
    const record = await repository.add(NEW_ACCOUNT, SECRETS);
    repository.persistState(record.id, RELOGIN);
    journal.length = 0;
    await repository.remove(record.id);
    expect(journal).toEqual([
      'settings.set accounts',
      'settings.delete accountStates',
      `secret.delete account:${record.id}`,
      `secret.delete refresh-journal:${record.id}`,
    ]);
    expect(repository.list()).toEqual([]);
    expect(repository.persistedState(record.id)).toBeUndefined();
    expect(await rawSecrets.get(`account:${record.id}`)).toBeUndefined();
  });

  it('leaves only an orphan secret, never an account without one, when deleting the secret fails', async () => {
    const { repository, failing, rawSecrets } = setup();
    const record = await repository.add(NEW_ACCOUNT, SECRETS);
    failing.add('delete');
    await expect(repository.remove(record.id)).rejects.toThrow('keychain locked');
    expect(repository.get(record.id)).toBeUndefined();
    expect(await rawSecrets.get(`account:${record.id}`)).toBeDefined();
    failing.clear();
    await repository.remove(record.id);
    expect(await rawSecrets.get(`account:${record.id}`)).toBeUndefined();
  });

  it('keeps the other accounts', async () => {
    const { repository } = setup();
    const first = await repository.add({ ...NEW_ACCOUNT, label: 'one' }, SECRETS);
    const second = await repository.add({ ...NEW_ACCOUNT, label: 'two' }, { apiKey: 'ksk_two' });
    await repository.remove(first.id);
    expect(repository.list()).toEqual([second]);
    expect(await repository.readSecrets(second.id)).toEqual({ apiKey: 'ksk_two' });
  });
});

describe('account repository: secrets', () => {
  it('replaces the secrets on write', async () => {
    const { repository } = setup();
    const record = await repository.add(NEW_ACCOUNT, SECRETS);
    await repository.writeSecrets(record.id, { apiKey: 'ksk_new' });
    expect(await repository.readSecrets(record.id)).toEqual({ apiKey: 'ksk_new' });
  });

  it('does not create a secret for an account that does not exist', async () => {
    const { repository, rawSecrets } = setup();
    await expect(repository.writeSecrets('acc_000000000000', SECRETS)).rejects.toThrow(AccountNotFoundError);
    expect(await rawSecrets.get('account:acc_000000000000')).toBeUndefined();
  });

  it('undoes a secret write that raced with the removal of its account', async () => {
    const { repository, rawSecrets, control } = setup();
    const record = await repository.add(NEW_ACCOUNT, SECRETS);
    let openGate = () => {};
    control.gate = new Promise((resolve) => (openGate = resolve));
    const writing = repository.writeSecrets(record.id, { ...SECRETS, accessToken: 'late' });
    await repository.remove(record.id);
    expect(await rawSecrets.get(`account:${record.id}`)).toBeUndefined();
    openGate();
    await expect(writing).rejects.toThrow(AccountNotFoundError);
    expect(await rawSecrets.get(`account:${record.id}`)).toBeUndefined();
  });

  it('returns undefined for an account without secrets', async () => {
    const { repository } = setup();
    expect(await repository.readSecrets('acc_000000000000')).toBeUndefined();
  });

  it('reports unreadable secrets without repeating them', async () => {
    const { repository, rawSecrets } = setup();
    const record = await repository.add(NEW_ACCOUNT, SECRETS);
    await rawSecrets.set(`account:${record.id}`, 'aoa-garbled-token{');
    const failure = repository.readSecrets(record.id);
    await expect(failure).rejects.toThrow('not a JSON object');
    await expect(failure).rejects.not.toThrow('aoa-garbled-token');
  });
});

describe('account repository: persisted states', () => {
  it('keeps needs_relogin, suspended and exhausted-until-the-reset across a restart', async () => {
    const { repository, settings, secrets, clock } = setup();
    const first = await repository.add(NEW_ACCOUNT, SECRETS);
    const second = await repository.add(NEW_ACCOUNT, SECRETS);
    const third = await repository.add(NEW_ACCOUNT, SECRETS);
    const suspended: AccountState = {
      kind: 'suspended',
      since: clock.now(),
      reason: 'temporarily is suspended',
    };
    const exhausted: AccountState = { kind: 'exhausted', until: clock.now() + 86_400_000, reason: 'quota' };
    repository.persistState(first.id, RELOGIN);
    repository.persistState(second.id, suspended);
    repository.persistState(third.id, exhausted);
    const restarted = createAccountRepository({ settings, secrets, clock });
    expect(restarted.persistedState(first.id)).toEqual(RELOGIN);
    expect(restarted.persistedState(second.id)).toEqual(suspended);
    expect(restarted.persistedState(third.id)).toEqual(exhausted);
  });

  it('clears the persisted state for every other state', async () => {
    const { repository, clock } = setup();
    const record = await repository.add(NEW_ACCOUNT, SECRETS);
    const transient: Array<AccountState | undefined> = [
      { kind: 'active' },
      { kind: 'cooling_down', until: clock.now() + 1000, reason: 'throttled' },
      { kind: 'disabled' },
      undefined,
    ];
    for (const state of transient) {
      repository.persistState(record.id, RELOGIN);
      repository.persistState(record.id, state);
      expect(repository.persistedState(record.id)).toBeUndefined();
    }
  });

  it('does not write or notify when the persisted state is unchanged', async () => {
    const { repository, journal } = setup();
    const record = await repository.add(NEW_ACCOUNT, SECRETS);
    repository.persistState(record.id, RELOGIN);
    const changes = countChanges(repository);
    journal.length = 0;
    repository.persistState(record.id, { ...RELOGIN });
    repository.persistState('acc_000000000000', { kind: 'active' });
    expect(journal).toEqual([]);
    expect(changes.count).toBe(0);
  });
});

describe('account repository: change notification', () => {
  it('notifies own writes', async () => {
    const { repository } = setup();
    const changes = countChanges(repository);
    const record = await repository.add(NEW_ACCOUNT, SECRETS);
    repository.update(record.id, { label: 'x' });
    repository.persistState(record.id, RELOGIN);
    await repository.remove(record.id);
    expect(changes.count).toBe(4);
  });

  it('notifies changes made by another process, until unsubscribed', () => {
    const { repository, settings } = setup();
    const changes = countChanges(repository);
    settings.simulateExternalChange();
    expect(changes.count).toBe(1);
    changes.stop();
    settings.simulateExternalChange();
    expect(changes.count).toBe(1);
  });

  it('sees accounts another process wrote', async () => {
    const { repository, settings, secrets, clock } = setup();
    const other = createAccountRepository({ settings, secrets, clock });
    const record = await other.add(NEW_ACCOUNT, SECRETS);
    expect(repository.get(record.id)).toEqual(record);
  });
});

describe('memory settings store', () => {
  it('copies values in and out', () => {
    const store = createMemorySettingsStore({ list: [1] });
    const written = { nested: { value: 1 } };
    store.set('object', written);
    written.nested.value = 2;
    store.get<number[]>('list')?.push(2);
    expect(store.get('object')).toEqual({ nested: { value: 1 } });
    expect(store.get('list')).toEqual([1]);
    store.delete('list');
    expect(store.get('list')).toBeUndefined();
  });
});
