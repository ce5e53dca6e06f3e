/** Reads what an account view needs — the pool's runtime state, the secrets' shape, the quota forecast. */
import type { AccountView } from '../../../../shared/adminApi.ts';
import { AccountNotFoundError } from '../../accounts/accountErrors.ts';
import type { AccountSecrets } from '../../accounts/accountModel.ts';
import type { AccountPool, PoolAccount } from '../../accounts/accountPool.ts';
import type { AccountRepository } from '../../accounts/accountRepository.ts';
import { toAccountView } from './accountView.ts';
import { createQuotaHistory } from './quotaHistory.ts';

export interface AccountViews {
  /** Undefined when the account is not in the pool (removed, or not yet synced). */
  viewOf(accountId: string): Promise<AccountView | undefined>;
  /** Throws AccountNotFoundError. */
  require(accountId: string): Promise<AccountView>;
  list(): Promise<AccountView[]>;
}

export function createAccountViews(pool: AccountPool, repository: AccountRepository): AccountViews {
  const history = createQuotaHistory(pool);

  async function render(account: PoolAccount): Promise<AccountView> {
    const forecast = account.quota && history.forecast(account.record.id, account.quota);
    return toAccountView(account, await readSecrets(account.record.id), forecast);
  }

  /** A store that cannot be read must not hide the account: it is shown as holding no secret. */
  async function readSecrets(accountId: string): Promise<AccountSecrets | undefined> {
    return repository.readSecrets(accountId).catch(() => undefined);
  }

  async function viewOf(accountId: string): Promise<AccountView | undefined> {
    const account = pool.get(accountId);
    return account && render(account);
  }

  return {
    viewOf,
    async require(accountId) {
      const view = await viewOf(accountId);
      if (!view) throw new AccountNotFoundError(accountId);
      return view;
    },
    list: () => Promise.all(pool.snapshot().map(render)),
  };
}
