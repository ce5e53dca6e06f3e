/**
 * `DELETE /admin/accounts/:id`. The Kiro IDE's current login cannot be removed: the next sync would add it back
 * at once under a new id, so the user is told to disable it or to sign out of the IDE instead.
 */
import type { AccountRepository } from '../../accounts/accountRepository.ts';
import type { AccountService } from '../../accounts/accountService.ts';
import { AccountNotFoundError } from '../../accounts/accountErrors.ts';
import { readKiroAuthFile } from '../../accounts/kiroAuthFile.ts';
import { AdminError } from './adminError.ts';

export async function removeAccount(
  accounts: AccountService,
  repository: AccountRepository,
  id: string,
  /** The IDE login folder the service follows, if any. */
  kiroAuthDir: string | undefined,
): Promise<void> {
  const record = repository.get(id);
  if (!record) throw new AccountNotFoundError(id);
  const followed =
    record.source === 'kiro-ide' && kiroAuthDir !== undefined && record.sourcePath === kiroAuthDir;
  if (followed && (await readKiroAuthFile(kiroAuthDir))) {
    throw new AdminError(
      409,
      `"${record.label}" is the Kiro IDE's current login and would come back at once: disable it instead, ` +
        'or sign out of the Kiro IDE first.',
    );
  }
  await repository.remove(id);
  await accounts.reload();
}
