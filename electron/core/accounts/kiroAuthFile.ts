/**
 * The Kiro IDE's token file, `~/.aws/sso/cache/kiro-auth-token.json` (docs/upstream/auth.md §1), and for IdC
 * logins the client registration beside it, `<clientIdHash>.json`. The file belongs to the IDE: Kiro Dock writes
 * back only the fields a refresh changes, keeps every other field, and replaces the file atomically so the IDE
 * never reads half a file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseJsonObject } from '../json/parseJsonObject.ts';

export const KIRO_AUTH_FILE_NAME = 'kiro-auth-token.json';

export type KiroAuthMethod = 'social' | 'idc' | 'external_idp';

export interface KiroAuthFileToken {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds; 0 when the file has none (treated as expired). */
  expiresAtMs: number;
  authMethod: KiroAuthMethod;
  provider?: string;
  profileArn?: string;
  /** IdC auth region (OIDC host). */
  region?: string;
  clientId?: string;
  clientSecret?: string;
}

export async function readKiroAuthFile(dir: string): Promise<KiroAuthFileToken | undefined> {
  const raw = await readJsonObject(path.join(dir, KIRO_AUTH_FILE_NAME));
  if (!raw) return undefined;
  const accessToken = stringOf(raw['accessToken']);
  const refreshToken = stringOf(raw['refreshToken']);
  if (!refreshToken && !accessToken) return undefined;
  const method = (stringOf(raw['authMethod']) ?? 'social').toLowerCase();
  const provider = stringOf(raw['provider']);
  const token: KiroAuthFileToken = {
    accessToken: accessToken ?? '',
    refreshToken: refreshToken ?? '',
    expiresAtMs: Date.parse(stringOf(raw['expiresAt']) ?? '') || 0,
    authMethod: authMethodOf(method, provider),
    provider,
    profileArn: stringOf(raw['profileArn']),
    region: stringOf(raw['region']),
  };
  const clientIdHash = stringOf(raw['clientIdHash']);
  if (token.authMethod === 'idc' && clientIdHash && /^[\w-]+$/.test(clientIdHash)) {
    const registration = await readJsonObject(path.join(dir, `${clientIdHash}.json`));
    token.clientId = stringOf(registration?.['clientId']);
    token.clientSecret = stringOf(registration?.['clientSecret']);
  }
  return token;
}

export interface TokenUpdate {
  accessToken: string;
  refreshToken?: string;
  expiresAtMs: number;
  profileArn?: string;
}

/** Read-merge-write: only the refreshed fields change; unknown fields written by the IDE are preserved. */
export async function writeBackKiroAuthFile(dir: string, update: TokenUpdate): Promise<void> {
  const file = path.join(dir, KIRO_AUTH_FILE_NAME);
  const current = (await readJsonObject(file)) ?? {};
  const next: Record<string, unknown> = {
    ...current,
    accessToken: update.accessToken,
    expiresAt: new Date(update.expiresAtMs).toISOString(),
  };
  if (update.refreshToken) next['refreshToken'] = update.refreshToken;
  if (update.profileArn && current['profileArn'] !== undefined) next['profileArn'] = update.profileArn;
  await writeFileAtomic(file, JSON.stringify(next, null, 2), 0o600);
}

/** Write to a sibling temp file, fsync, then rename over the target: readers see the old or the new file. */
export async function writeFileAtomic(file: string, content: string, mode: number): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(temp, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

async function readJsonObject(file: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  // The IDE may be mid-write (it does not always write atomically): unreadable JSON counts as absent for now.
  return parseJsonObject(text);
}

/** Enterprise logins through an external IdP (Entra, Okta) refresh at their own token endpoint, not AWS OIDC. */
function authMethodOf(method: string, provider: string | undefined): KiroAuthMethod {
  if (method === 'social') return 'social';
  if (method === 'external_idp' || provider?.toLowerCase() === 'externalidp') return 'external_idp';
  return 'idc';
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
