import type { AccountRecord } from '../../electron/core/accounts/accountModel.ts';

/** A manual social account's record, for tests of the pool and what follows it. */
export function accountRecord(id: string, overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id,
    label: id,
    source: 'manual',
    authMethod: 'social',
    region: 'us-east-1',
    disabled: false,
    addedAt: 0,
    ...overrides,
  };
}
