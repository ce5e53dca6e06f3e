/**
 * `POST /admin/accounts/import`: the Kiro IDE's login or kiro-cli's logins into the pool. The IDE login is
 * synced through the running service's reload, which is serialised, so the folder watcher and this request
 * cannot both add the same login.
 */
import type { ImportAccountsResponse, ImportSource } from '../../../../shared/adminApi.ts';
import { importIdeLogin, importKiroCliLogins } from '../../accounts/accountImport.ts';
import type { AccountRepository } from '../../accounts/accountRepository.ts';
import type { AccountService } from '../../accounts/accountService.ts';

export interface ImportDeps {
  accounts: AccountService;
  repository: AccountRepository;
  kiroAuthDir?: string;
  kiroCliDatabasePaths?: string[];
}

export async function importAccounts(from: ImportSource, deps: ImportDeps): Promise<ImportAccountsResponse> {
  const { accounts, repository } = deps;
  if (from === 'ide') {
    if (!deps.kiroAuthDir) {
      return { imported: [], alreadyPresent: [], problems: ['Kiro IDE import is turned off for this run.'] };
    }
    return importIdeLogin(repository, deps.kiroAuthDir, () => accounts.reload());
  }
  const result = await importKiroCliLogins(repository, deps.kiroCliDatabasePaths);
  await accounts.reload();
  return result;
}
