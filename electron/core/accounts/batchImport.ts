/**
 * Many logins at once (docs/batch-import.md): each is checked, compared with the pool and the rest of the batch
 * (a refresh token or API key already present is a duplicate, named with the account that has it), proven by one
 * refresh (whose rotated token is what gets stored), then added. Progress is reported after every entry, and
 * every failure says which entry and why.
 */
import type { BatchImportItem } from '../../../shared/batchImportApi.ts';
import type { KiroClient } from '../kiro/kiroClient.ts';
import { regionFromProfileArn } from '../kiro/kiroEndpoints.ts';
import type { Clock } from '../ports.ts';
import { tokenExpiryAfter } from '../time/outsideTime.ts';
import { machineIdFor } from './accountCredential.ts';
import type { AccountSecrets } from './accountModel.ts';
import type { AccountRepository } from './accountRepository.ts';
import { tokenPreview, type BatchLogin } from './batchParse.ts';
import { apiKeyProblem, refreshTokenProblem } from './refreshTokenCheck.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export interface BatchImportDeps {
  repository: AccountRepository;
  client: Pick<KiroClient, 'refreshSocialToken' | 'refreshIdcToken'>;
  clock: Clock;
}

export async function runBatchImport(
  deps: BatchImportDeps,
  logins: BatchLogin[],
  onProgress: (items: BatchImportItem[]) => void,
  signal?: AbortSignal,
): Promise<BatchImportItem[]> {
  const items: BatchImportItem[] = logins.map((login, index) => ({
    index: index + 1,
    preview: tokenPreview(login.apiKey ?? login.refreshToken ?? ''),
    status: 'pending',
  }));
  const known = await knownSecrets(deps.repository);
  onProgress(items.map((item) => ({ ...item })));
  for (const [index, login] of logins.entries()) {
    if (signal?.aborted) break;
    Object.assign(items[index]!, await importOne(deps, login, known));
    onProgress(items.map((item) => ({ ...item })));
  }
  return items;
}

/** Refresh tokens and API keys in the pool, to the id of the account holding each. */
async function knownSecrets(repository: AccountRepository): Promise<Map<string, string>> {
  const known = new Map<string, string>();
  for (const record of repository.list()) {
    const secrets = await repository.readSecrets(record.id).catch(() => undefined);
    for (const secret of [secrets?.refreshToken, secrets?.apiKey]) if (secret) known.set(secret, record.id);
  }
  return known;
}

async function importOne(
  deps: BatchImportDeps,
  login: BatchLogin,
  known: Map<string, string>,
): Promise<Partial<BatchImportItem>> {
  const secret = login.apiKey ?? login.refreshToken;
  if (!secret) return { status: 'failed', message: 'It has no refresh token or API key.' };
  const problem = login.apiKey ? apiKeyProblem(login.apiKey) : refreshTokenProblem(secret);
  if (problem) return { status: 'failed', message: problem };
  if (login.authMethod === 'idc' && (!login.clientId || !login.clientSecret))
    return {
      status: 'failed',
      message: 'An IdC login needs its clientId and clientSecret beside the refresh token.',
    };
  const holder = known.get(secret);
  if (holder) return { status: 'duplicate', accountId: holder, message: `Already in the pool as ${holder}.` };
  let secrets: AccountSecrets;
  let profileArn = login.profileArn;
  if (login.apiKey) {
    secrets = { apiKey: login.apiKey };
  } else {
    try {
      const refreshed = await refresh(deps, login);
      secrets = {
        accessToken: refreshed.accessToken,
        refreshToken: refreshed.refreshToken ?? login.refreshToken,
        expiresAt: tokenExpiryAfter(refreshed.expiresInSeconds, deps.clock.now()),
        clientId: login.clientId,
        clientSecret: login.clientSecret,
      };
      profileArn = refreshed.profileArn ?? profileArn;
    } catch (error) {
      return { status: 'failed', message: `Kiro refused it: ${errorMessage(error)}.` };
    }
  }
  const record = await deps.repository.add(
    {
      label: login.label ?? `Imported ${login.authMethod === 'api_key' ? 'API key' : login.authMethod}`,
      source: 'manual',
      authMethod: login.authMethod,
      region: regionFromProfileArn(profileArn) ?? 'us-east-1',
      authRegion: login.authMethod === 'idc' ? (login.region ?? 'us-east-1') : undefined,
      profileArn,
      disabled: false,
    },
    secrets,
  );
  known.set(secret, record.id);
  if (secrets.refreshToken) known.set(secrets.refreshToken, record.id);
  return { status: 'added', accountId: record.id, message: undefined };
}

function refresh(deps: BatchImportDeps, login: BatchLogin) {
  if (login.authMethod === 'idc')
    return deps.client.refreshIdcToken({
      clientId: login.clientId!,
      clientSecret: login.clientSecret!,
      refreshToken: login.refreshToken!,
      region: login.region ?? 'us-east-1',
    });
  return deps.client.refreshSocialToken(
    login.refreshToken!,
    machineIdFor({ refreshToken: login.refreshToken }, 'batch'),
  );
}
