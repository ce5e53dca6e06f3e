/**
 * Bringing existing logins into the pool: the Kiro IDE's login file and kiro-cli's logins. Used by
 * `kiro-dock accounts import` and by the admin API; a login already in the pool is reported, never duplicated.
 */
import { regionFromProfileArn } from '../kiro/kiroEndpoints.ts';
import type { AccountRepository } from './accountRepository.ts';
import { findIdeAccount, syncIdeLogin } from './ideLoginSync.ts';
import { defaultKiroCliDatabasePaths, readKiroCliLogins, type KiroCliLogin } from './kiroCliLogins.ts';

export interface AccountImportResult {
  /** Ids of the accounts added. */
  imported: string[];
  /** Ids of accounts holding a login of the source that were in the pool already. */
  alreadyPresent: string[];
  /** One sentence per login that could not be imported, naming where it was looked for. */
  problems: string[];
}

/**
 * The Kiro IDE's login in `authDir`. `sync` performs the sync itself: a running service passes its own
 * (serialised) reload so the IDE's login is never added twice by concurrent syncs.
 */
export async function importIdeLogin(
  repository: AccountRepository,
  authDir: string,
  sync: () => Promise<unknown> = () => syncIdeLogin(repository, authDir),
): Promise<AccountImportResult> {
  const before = findIdeAccount(repository, authDir);
  await sync();
  const after = findIdeAccount(repository, authDir);
  if (!after) return { imported: [], alreadyPresent: [], problems: [`No Kiro IDE login in ${authDir}.`] };
  return before?.id === after.id
    ? { imported: [], alreadyPresent: [after.id], problems: [] }
    : { imported: [after.id], alreadyPresent: [], problems: [] };
}

/** Every kiro-cli (or Amazon Q CLI) database in `paths` that holds a login; one account per database. */
export async function importKiroCliLogins(
  repository: AccountRepository,
  paths: string[] = defaultKiroCliDatabasePaths(),
): Promise<AccountImportResult> {
  const { logins, problems } = await readKiroCliLogins(paths);
  const result: AccountImportResult = { imported: [], alreadyPresent: [], problems };
  for (const login of logins) {
    const known = repository
      .list()
      .find((record) => record.source === 'kiro-cli' && record.sourcePath === login.sourcePath);
    if (known) result.alreadyPresent.push(known.id);
    else result.imported.push(await addKiroCliLogin(repository, login));
  }
  if (logins.length === 0 && problems.length === 0)
    result.problems.push(`No kiro-cli login in ${paths.join(' or ')}.`);
  return result;
}

async function addKiroCliLogin(repository: AccountRepository, login: KiroCliLogin): Promise<string> {
  const record = await repository.add(
    {
      label: `kiro-cli (${login.authMethod})`,
      source: 'kiro-cli',
      authMethod: login.authMethod,
      region: regionFromProfileArn(login.profileArn) ?? login.region ?? 'us-east-1',
      authRegion: login.region,
      profileArn: login.profileArn,
      disabled: false,
      sourcePath: login.sourcePath,
    },
    {
      accessToken: login.accessToken,
      refreshToken: login.refreshToken,
      expiresAt: login.expiresAt,
      clientId: login.clientId,
      clientSecret: login.clientSecret,
    },
  );
  return record.id;
}
