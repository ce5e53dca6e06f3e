import { createHash } from 'node:crypto';
import type { KiroCredential } from '../kiro/kiroClient.ts';
import type { AccountRecord, AccountSecrets } from './accountModel.ts';

/** 64 hex characters identifying this installation+account to Kiro (docs/upstream/endpoints.md §2: format only). */
export function machineIdFor(secrets: AccountSecrets, accountId: string): string {
  const seed = secrets.refreshToken ?? secrets.apiKey ?? accountId;
  return createHash('sha256').update(`KiroDock/${seed}`).digest('hex');
}

/** What a request needs to call Kiro with this account, or undefined when a refresh must come first. */
export function usableCredential(
  record: AccountRecord,
  secrets: AccountSecrets,
  now: number,
  minLifetimeMs: number,
): KiroCredential | undefined {
  if (secrets.apiKey) {
    return {
      accessToken: secrets.apiKey,
      isApiKey: true,
      profileArn: record.profileArn,
      machineId: machineIdFor(secrets, record.id),
    };
  }
  if (!secrets.accessToken || (secrets.expiresAt ?? 0) - now < minLifetimeMs) return undefined;
  return {
    accessToken: secrets.accessToken,
    profileArn: record.profileArn,
    machineId: machineIdFor(secrets, record.id),
  };
}
