/**
 * Where accounts are kept: the non-secret record in the settings store, the secrets in the SecretStore (one
 * JSON entry per account, and a refresh journal entry while a refresh's bookkeeping is under way). The write
 * order is chosen so that a crash between the two stores can leave an orphan secret, which is harmless, but
 * never an account whose secret is missing.
 */
import { randomBytes } from 'node:crypto';
import type { Clock, SecretStore, SettingsStore } from '../ports.ts';
import {
  isLastingState,
  secretKeyFor,
  type AccountRecord,
  type AccountSecrets,
  type AccountState,
} from './accountModel.ts';
import { AccountNotFoundError } from './accountErrors.ts';
import { createRefreshJournal, refreshJournalKeyFor, type RefreshJournal } from './refreshJournal.ts';

export const ACCOUNTS_SETTING = 'accounts';
export const ACCOUNT_STATES_SETTING = 'accountStates';

export type NewAccount = Omit<AccountRecord, 'id' | 'addedAt'> & { id?: string; addedAt?: number };

export interface AccountRepository {
  list(): AccountRecord[];
  get(id: string): AccountRecord | undefined;
  /** Secrets are stored first, then the record. Generates id ("acc_" + 12 hex) and addedAt unless given. */
  add(input: NewAccount, secrets: AccountSecrets): Promise<AccountRecord>;
  /** Throws AccountNotFoundError. */
  update(id: string, patch: Partial<Omit<AccountRecord, 'id' | 'addedAt'>>): AccountRecord;
  /** Record first, then the secret. Removing an unknown id still deletes any orphan secret it left. */
  remove(id: string): Promise<void>;
  readSecrets(id: string): Promise<AccountSecrets | undefined>;
  /** Replaces the account's secrets (callers merge); resolves only once durably stored. */
  writeSecrets(id: string, secrets: AccountSecrets): Promise<void>;
  /** The accounts' refresh journal (refreshJournal.ts), in the same SecretStore as their secrets. */
  readonly journal: RefreshJournal;
  persistedState(id: string): AccountState | undefined;
  /** Stores only needs_relogin / suspended (the states that must survive a restart), clears otherwise. */
  persistState(id: string, state: AccountState | undefined): void;
  /** Own writes to the settings and external changes (SettingsStore.onExternalChange) alike. */
  onChange(listener: () => void): () => void;
}

export interface AccountRepositoryDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  clock: Clock;
}

type PersistedStates = Record<string, AccountState>;

export function createAccountRepository(deps: AccountRepositoryDeps): AccountRepository {
  const { settings, secrets, clock } = deps;
  const changes = createChangeNotifier(settings);

  const list = (): AccountRecord[] => settings.get<AccountRecord[]>(ACCOUNTS_SETTING) ?? [];
  const get = (id: string) => list().find((record) => record.id === id);
  const states = (): PersistedStates => settings.get<PersistedStates>(ACCOUNT_STATES_SETTING) ?? {};

  function saveStates(next: PersistedStates): void {
    if (Object.keys(next).length === 0) settings.delete(ACCOUNT_STATES_SETTING);
    else settings.set(ACCOUNT_STATES_SETTING, next);
  }

  return {
    list,
    get,
    async add(input, accountSecrets) {
      const record: AccountRecord = {
        ...input,
        id: input.id ?? newAccountId(),
        addedAt: input.addedAt ?? clock.now(),
      };
      if (get(record.id)) throw new Error(`A Kiro account with the id ${record.id} already exists.`);
      await secrets.set(secretKeyFor(record.id), JSON.stringify(accountSecrets));
      settings.set(ACCOUNTS_SETTING, [...list(), record]);
      changes.notify();
      return structuredClone(record);
    },
    update(id, patch) {
      const records = list();
      const index = records.findIndex((record) => record.id === id);
      const current = records[index];
      if (!current) throw new AccountNotFoundError(id);
      const updated: AccountRecord = { ...current, ...patch, id: current.id, addedAt: current.addedAt };
      records[index] = updated;
      settings.set(ACCOUNTS_SETTING, records);
      changes.notify();
      return structuredClone(updated);
    },
    async remove(id) {
      const records = list();
      const remaining = records.filter((record) => record.id !== id);
      const persisted = states();
      const hadState = id in persisted;
      if (remaining.length !== records.length) settings.set(ACCOUNTS_SETTING, remaining);
      if (hadState) {
        delete persisted[id];
        saveStates(persisted);
      }
      if (remaining.length !== records.length || hadState) changes.notify();
      await secrets.delete(secretKeyFor(id));
      await secrets.delete(refreshJournalKeyFor(id));
    },
    async readSecrets(id) {
      const stored = await secrets.get(secretKeyFor(id));
      return stored === undefined ? undefined : parseSecrets(id, stored);
    },
    async writeSecrets(id, accountSecrets) {
      if (!get(id)) throw new AccountNotFoundError(id);
      await secrets.set(secretKeyFor(id), JSON.stringify(accountSecrets));
      // Removed while the write was under way: undo it rather than leave a secret nobody will ever delete.
      if (!get(id)) {
        await secrets.delete(secretKeyFor(id));
        throw new AccountNotFoundError(id);
      }
    },
    journal: createRefreshJournal(secrets),
    persistedState: (id) => states()[id],
    persistState(id, state) {
      const persisted = states();
      const durable = state && isLastingState(state) ? state : undefined;
      if (JSON.stringify(persisted[id]) === JSON.stringify(durable)) return;
      if (durable) persisted[id] = durable;
      else delete persisted[id];
      saveStates(persisted);
      changes.notify();
    },
    onChange: (listener) => changes.subscribe(listener),
  };
}

function newAccountId(): string {
  return `acc_${randomBytes(6).toString('hex')}`;
}

function parseSecrets(id: string, stored: string): AccountSecrets {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    parsed = undefined;
  }
  // The stored value itself stays out of the message: it may hold tokens.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`The stored secrets of Kiro account ${id} are not a JSON object.`);
  }
  return parsed;
}

/** Listeners for own writes and external ones; follows the settings store only while someone listens. */
function createChangeNotifier(settings: SettingsStore) {
  const listeners = new Set<() => void>();
  let stopFollowingSettings: (() => void) | undefined;
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  return {
    notify,
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      stopFollowingSettings ??= settings.onExternalChange(notify);
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0 || !stopFollowingSettings) return;
        stopFollowingSettings();
        stopFollowingSettings = undefined;
      };
    },
  };
}
