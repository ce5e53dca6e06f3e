/**
 * One refresh of one account's access token, in the order that never loses a login: for a Kiro IDE account the
 * IDE's file is re-read first (the IDE may have refreshed already, and a rotated refresh token would make ours
 * dead); a rotated refresh token is stored in the SecretStore before anything uses the new access token; then
 * the IDE's file gets the new tokens too, so the IDE stays signed in.
 */
import type { KiroClient, RefreshedToken } from '../kiro/kiroClient.ts';
import type { Clock, Logger } from '../ports.ts';
import type { AccountRecord, AccountSecrets } from './accountModel.ts';
import type { AccountRepository } from './accountRepository.ts';
import { AccountUnavailableError } from './accountUnavailableError.ts';
import { readKiroAuthFile, writeBackKiroAuthFile } from './kiroAuthFile.ts';
import { machineIdFor } from './accountCredential.ts';
import { tokenExpiryAfter } from '../time/outsideTime.ts';

/** A token with less than this left is refreshed before use. */
export const MIN_TOKEN_LIFETIME_MS = 60_000;

export interface AccountRefreshDeps {
  repository: AccountRepository;
  client: KiroClient;
  clock: Clock;
  logger: Logger;
  /** Write refreshed tokens back to the Kiro IDE's file (shared login) — the default. */
  ideWriteBack: () => boolean;
}

export async function refreshAccount(
  deps: AccountRefreshDeps,
  record: AccountRecord,
): Promise<AccountSecrets> {
  const stored = (await deps.repository.readSecrets(record.id)) ?? {};
  if (record.source === 'kiro-ide' && record.sourcePath) {
    const adopted = await adoptIdeRefresh(deps, record, stored);
    if (adopted) return adopted;
  }
  if (!stored.refreshToken) {
    throw new AccountUnavailableError('needs_relogin', `Account "${record.label}" has no refresh token.`);
  }
  const refreshed = await callRefresh(deps.client, record, stored);
  const next: AccountSecrets = {
    ...stored,
    accessToken: refreshed.accessToken,
    refreshToken: refreshed.refreshToken ?? stored.refreshToken,
    expiresAt: tokenExpiryAfter(refreshed.expiresInSeconds, deps.clock.now()),
  };
  await deps.repository.writeSecrets(record.id, next);
  if (refreshed.profileArn && refreshed.profileArn !== record.profileArn) {
    deps.repository.update(record.id, { profileArn: refreshed.profileArn });
  }
  if (record.source === 'kiro-ide' && record.sourcePath && deps.ideWriteBack()) {
    await writeBackKiroAuthFile(record.sourcePath, {
      accessToken: next.accessToken!,
      refreshToken: refreshed.refreshToken,
      expiresAtMs: next.expiresAt!,
      profileArn: refreshed.profileArn,
    });
  }
  deps.logger.info(
    { account: record.id, authMethod: record.authMethod, rotated: Boolean(refreshed.refreshToken) },
    'token refreshed',
  );
  return next;
}

/** The IDE refreshed (or re-logged in) since we last looked: take its tokens instead of refreshing again. */
async function adoptIdeRefresh(
  deps: AccountRefreshDeps,
  record: AccountRecord,
  stored: AccountSecrets,
): Promise<AccountSecrets | undefined> {
  const onDisk = await readKiroAuthFile(record.sourcePath!);
  if (!onDisk || onDisk.accessToken === stored.accessToken) return undefined;
  const fresh = onDisk.expiresAtMs - deps.clock.now() > MIN_TOKEN_LIFETIME_MS;
  if (!fresh && onDisk.refreshToken === stored.refreshToken) return undefined;
  const next: AccountSecrets = {
    ...stored,
    accessToken: onDisk.accessToken,
    refreshToken: onDisk.refreshToken || stored.refreshToken,
    expiresAt: onDisk.expiresAtMs,
    clientId: onDisk.clientId ?? stored.clientId,
    clientSecret: onDisk.clientSecret ?? stored.clientSecret,
  };
  await deps.repository.writeSecrets(record.id, next);
  if (fresh) return next;
  // A newer refresh token from the IDE but an expired access token: refresh with the IDE's token.
  return undefined;
}

async function callRefresh(
  client: KiroClient,
  record: AccountRecord,
  secrets: AccountSecrets,
): Promise<RefreshedToken> {
  if (record.authMethod === 'social') {
    return client.refreshSocialToken(secrets.refreshToken!, machineIdFor(secrets, record.id));
  }
  if (record.authMethod === 'idc') {
    if (!secrets.clientId || !secrets.clientSecret) {
      throw new AccountUnavailableError(
        'needs_relogin',
        `Account "${record.label}" (IdC) has no client registration: sign in again.`,
      );
    }
    return client.refreshIdcToken({
      clientId: secrets.clientId,
      clientSecret: secrets.clientSecret,
      refreshToken: secrets.refreshToken!,
      region: record.authRegion ?? record.region,
    });
  }
  throw new AccountUnavailableError(
    'needs_relogin',
    record.authMethod === 'external_idp'
      ? `Account "${record.label}" signs in through your organisation's identity provider, which Kiro Dock ` +
          'cannot refresh yet: its token is used until it expires; then sign in to Kiro IDE again.'
      : `Account "${record.label}" (${record.authMethod}) cannot be refreshed by Kiro Dock: sign in again.`,
  );
}
