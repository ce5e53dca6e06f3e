/**
 * Logins held by kiro-cli (and its predecessor, the Amazon Q Developer CLI) in their SQLite store
 * (docs/upstream/auth.md §5). The database belongs to the CLI, which may be running: it is read as a snapshot of
 * the file's bytes with sql.js and never written, so no lock or journal of the CLI's is ever touched.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import { parseJsonObject } from '../json/parseJsonObject.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

export interface KiroCliLogin {
  authMethod: 'social' | 'idc' | 'external_idp';
  accessToken?: string;
  refreshToken: string;
  /** Epoch ms when accessToken expires. */
  expiresAt?: number;
  clientId?: string;
  clientSecret?: string;
  /** The token's (OIDC) region, else the registration's, else the profile ARN's. */
  region?: string;
  profileArn?: string;
  startUrl?: string;
  /** The database file the login came from. */
  sourcePath: string;
  /** The auth_kv key the token came from. */
  key: string;
}

export interface KiroCliLoginsResult {
  logins: KiroCliLogin[];
  /** One line per file or entry that exists but could not be used, naming the file. */
  problems: string[];
}

interface TokenKey {
  key: string;
  authMethod: KiroCliLogin['authMethod'];
  /** Client registrations to try for IdC tokens, the token's own namespace first. */
  registrationKeys: string[];
}

/** In kiro-cli's own order of preference ("odic" is spelled that way in the CLI). */
const TOKEN_KEYS: TokenKey[] = [
  { key: 'kirocli:external-idp:token', authMethod: 'external_idp', registrationKeys: [] },
  { key: 'kirocli:social:token', authMethod: 'social', registrationKeys: [] },
  {
    key: 'kirocli:odic:token',
    authMethod: 'idc',
    registrationKeys: ['kirocli:odic:device-registration', 'codewhisperer:odic:device-registration'],
  },
  {
    key: 'codewhisperer:odic:token',
    authMethod: 'idc',
    registrationKeys: ['codewhisperer:odic:device-registration', 'kirocli:odic:device-registration'],
  },
];

const PROFILE_STATE_KEY = 'api.codewhisperer.profile';
const DATABASE_FILE_NAME = 'data.sqlite3';
const CLI_FOLDERS = ['kiro-cli', 'amazon-q'];

/** Where kiro-cli and the Amazon Q CLI keep their store: each OS's per-user local data folder. */
export function defaultKiroCliDatabasePaths(
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string[] {
  const dataDir =
    platform === 'darwin'
      ? path.join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? path.join(home, 'AppData', 'Local')
        : path.join(home, '.local', 'share');
  return CLI_FOLDERS.map((folder) => path.join(dataDir, folder, DATABASE_FILE_NAME));
}

/**
 * At most one login per database: the first token key, in priority order, that holds a usable token (the CLI is
 * signed in one way at a time; other keys are leftovers). Missing files are skipped silently; unreadable ones
 * and unusable entries are reported in `problems` and never throw.
 */
export async function readKiroCliLogins(
  paths: string[] = defaultKiroCliDatabasePaths(),
): Promise<KiroCliLoginsResult> {
  const result: KiroCliLoginsResult = { logins: [], problems: [] };
  for (const sourcePath of paths) {
    const bytes = await readDatabaseBytes(sourcePath, result.problems);
    if (!bytes) continue;
    let database: Database | undefined;
    try {
      database = new (await loadSqlJs()).Database(bytes);
      const login = loginFrom(database, sourcePath, result.problems);
      if (login) result.logins.push(login);
    } catch (error) {
      result.problems.push(`${sourcePath}: not a readable kiro-cli database (${errorMessage(error)}).`);
    } finally {
      database?.close();
    }
  }
  return result;
}

let sqlJs: Promise<SqlJsStatic> | undefined;

/** sql.js and its WASM load when a kiro-cli database is first read, not with the module. */
function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= import('sql.js').then(({ default: initSqlJs }) => initSqlJs());
  return sqlJs;
}

async function readDatabaseBytes(file: string, problems: string[]): Promise<Uint8Array | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR')
      problems.push(`${file}: cannot be read (${errorMessage(error)}).`);
    return undefined;
  }
}

function loginFrom(database: Database, sourcePath: string, problems: string[]): KiroCliLogin | undefined {
  // Touching the schema first makes a file that is not SQLite fail here, as one clear problem.
  const tables = new Set(column(database, "SELECT name FROM sqlite_master WHERE type = 'table'"));
  if (!tables.has('auth_kv')) return undefined;
  const authValues = keyValues(database, 'auth_kv');
  for (const tokenKey of TOKEN_KEYS) {
    const text = authValues.get(tokenKey.key);
    if (text === undefined) continue;
    const token = parseJsonObject(text);
    const refreshToken = stringOf(token?.['refresh_token']);
    if (!token || !refreshToken) {
      problems.push(
        `${sourcePath}: ${tokenKey.key} holds no usable token (no JSON object with a refresh_token).`,
      );
      continue;
    }
    const registration = firstObject(tokenKey.registrationKeys.map((key) => authValues.get(key)));
    const profile = tables.has('state')
      ? parseJsonObject(keyValues(database, 'state').get(PROFILE_STATE_KEY))
      : undefined;
    const profileArn = stringOf(profile?.['arn']) ?? stringOf(token['profile_arn']);
    return {
      authMethod: tokenKey.authMethod,
      accessToken: stringOf(token['access_token']),
      refreshToken,
      expiresAt: rfc3339Ms(token['expires_at']),
      clientId: stringOf(registration?.['client_id']) ?? stringOf(token['client_id']),
      clientSecret: stringOf(registration?.['client_secret']),
      region: stringOf(token['region']) ?? stringOf(registration?.['region']) ?? regionOfArn(profileArn),
      profileArn,
      startUrl: stringOf(token['start_url']),
      sourcePath,
      key: tokenKey.key,
    };
  }
  return undefined;
}

/** Both tables are `(key TEXT PRIMARY KEY, value …)`; values are JSON stored as TEXT or as a BLOB of UTF-8. */
function keyValues(database: Database, table: 'auth_kv' | 'state'): Map<string, string> {
  const values = new Map<string, string>();
  for (const row of database.exec(`SELECT key, value FROM ${table}`)[0]?.values ?? []) {
    const [key, value] = row;
    const text = textOf(value);
    if (typeof key === 'string' && text !== undefined) values.set(key, text);
  }
  return values;
}

function column(database: Database, sql: string): SqlValue[] {
  return (database.exec(sql)[0]?.values ?? []).map((row) => row[0] ?? null);
}

function textOf(value: SqlValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return undefined;
}

function firstObject(texts: Array<string | undefined>): Record<string, unknown> | undefined {
  for (const text of texts) {
    const value = parseJsonObject(text);
    if (value) return value;
  }
  return undefined;
}

/** The CLI writes nanosecond fractions (`…:56.123456789Z`); ECMAScript only promises to parse milliseconds. */
function rfc3339Ms(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** `arn:aws:codewhisperer:us-east-1:123456789012:profile/ABC` → `us-east-1`. */
function regionOfArn(arn: string | undefined): string | undefined {
  return stringOf(arn?.split(':')[3]);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
