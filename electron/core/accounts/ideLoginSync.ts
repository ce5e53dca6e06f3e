/**
 * Keeps the Kiro IDE's login and its account in the pool in step: imported on first sight, updated when the IDE
 * re-logs in or refreshes, reported when the IDE signs out (the account then needs a new login).
 */
import { regionFromProfileArn } from '../kiro/kiroEndpoints.ts';
import type { AccountRecord, AccountSecrets } from './accountModel.ts';
import type { AccountRepository } from './accountRepository.ts';
import { readKiroAuthFile, type KiroAuthFileToken } from './kiroAuthFile.ts';

export type IdeSyncResult =
  | { kind: 'none' }
  | { kind: 'imported' | 'updated' | 'unchanged'; accountId: string }
  | { kind: 'signed_out'; accountId: string };

export function findIdeAccount(repository: AccountRepository, authDir: string): AccountRecord | undefined {
  return repository.list().find((record) => record.source === 'kiro-ide' && record.sourcePath === authDir);
}

export async function syncIdeLogin(repository: AccountRepository, authDir: string): Promise<IdeSyncResult> {
  const token = await readKiroAuthFile(authDir);
  const existing = findIdeAccount(repository, authDir);
  if (!token) return existing ? { kind: 'signed_out', accountId: existing.id } : { kind: 'none' };
  if (!existing) {
    const record = await repository.add(
      {
        label: token.provider ? `Kiro IDE (${token.provider})` : 'Kiro IDE',
        source: 'kiro-ide',
        authMethod: token.authMethod,
        provider: token.provider,
        region: regionFromProfileArn(token.profileArn) ?? 'us-east-1',
        authRegion: token.region,
        profileArn: token.profileArn,
        disabled: false,
        sourcePath: authDir,
      },
      secretsOf(token),
    );
    return { kind: 'imported', accountId: record.id };
  }
  const stored = (await repository.readSecrets(existing.id)) ?? {};
  if (stored.accessToken === token.accessToken && stored.refreshToken === token.refreshToken) {
    return { kind: 'unchanged', accountId: existing.id };
  }
  // Ours is newer when Kiro Dock refreshed and write-back is off (the IDE's file then still holds the tokens
  // that refresh replaced): a file is adopted only when it is at least as recent as what Kiro Dock holds.
  if ((stored.expiresAt ?? 0) > token.expiresAtMs) {
    return { kind: 'unchanged', accountId: existing.id };
  }
  await repository.writeSecrets(existing.id, { ...stored, ...secretsOf(token) });
  if (token.profileArn && token.profileArn !== existing.profileArn) {
    repository.update(existing.id, { profileArn: token.profileArn });
  }
  return { kind: 'updated', accountId: existing.id };
}

function secretsOf(token: KiroAuthFileToken): AccountSecrets {
  const secrets: AccountSecrets = {
    accessToken: token.accessToken || undefined,
    refreshToken: token.refreshToken || undefined,
    expiresAt: token.expiresAtMs,
  };
  if (token.clientId) secrets.clientId = token.clientId;
  if (token.clientSecret) secrets.clientSecret = token.clientSecret;
  return secrets;
}
