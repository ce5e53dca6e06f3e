/**
 * `POST /admin/accounts`: a pasted refresh token (social or IdC) or API key becomes an account. Pasted values
 * are checked for truncation before anything is stored; the account is then checked with Kiro at once (a
 * refresh, or a quota read for an API key), so the answer already shows whether Kiro accepts it (the account is
 * kept either way; its state says).
 */
import type { AddAccountRequest } from '../../../../shared/adminApi.ts';
import type { AccountSecrets } from '../../accounts/accountModel.ts';
import type { AccountRepository, NewAccount } from '../../accounts/accountRepository.ts';
import type { AccountService } from '../../accounts/accountService.ts';
import { apiKeyProblem, refreshTokenProblem } from '../../accounts/refreshTokenCheck.ts';
import { RequestError } from '../../translate/requestError.ts';
import { validateBody } from '../validateBody.ts';
import { addAccountBody } from './adminBodies.ts';

const DEFAULT_REGION = 'us-east-1';

/** Returns the new account's id, once it is in the pool. */
export async function addAccount(
  accounts: AccountService,
  repository: AccountRepository,
  body: unknown,
): Promise<string> {
  const request = validateBody(addAccountBody, body);
  const problem = secretProblem(request);
  if (problem) throw new RequestError(problem);
  const record = await repository.add(newAccountOf(request), secretsOf(request));
  await accounts.reload();
  // A rejected token or key shows in the account's state and last error; the account itself was added.
  await accounts.verifyCredential(record.id);
  return record.id;
}

function secretProblem(request: AddAccountRequest): string | undefined {
  if (request.kind === 'api_key') return prefixed('apiKey', apiKeyProblem(request.apiKey));
  return prefixed('refreshToken', refreshTokenProblem(request.refreshToken));
}

function prefixed(field: string, problem: string | undefined): string | undefined {
  return problem && `${field}: ${problem}`;
}

function newAccountOf(request: AddAccountRequest): NewAccount {
  const common = { source: 'manual' as const, disabled: false };
  switch (request.kind) {
    case 'api_key':
      return {
        ...common,
        label: request.label ?? 'Kiro API key',
        authMethod: 'api_key',
        region: DEFAULT_REGION,
      };
    case 'social':
      return {
        ...common,
        label: request.label ?? 'Manual (social)',
        authMethod: 'social',
        region: DEFAULT_REGION,
      };
    case 'idc':
      return {
        ...common,
        label: request.label ?? 'Manual (idc)',
        authMethod: 'idc',
        region: request.region,
        authRegion: request.region,
      };
  }
}

/** Pasting adds whitespace around values; the checks above ignore it, and it is not stored. */
function secretsOf(request: AddAccountRequest): AccountSecrets {
  switch (request.kind) {
    case 'api_key':
      return { apiKey: request.apiKey.trim() };
    case 'social':
      return { refreshToken: request.refreshToken.trim() };
    case 'idc':
      return {
        refreshToken: request.refreshToken.trim(),
        clientId: request.clientId.trim(),
        clientSecret: request.clientSecret.trim(),
      };
  }
}
