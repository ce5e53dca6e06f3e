/** Real SQLite files, built with sql.js in the shape kiro-cli and the Amazon Q CLI write them. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultKiroCliDatabasePaths,
  readKiroCliLogins,
} from '../../electron/core/accounts/kiroCliLogins.ts';

const PROFILE_STATE_KEY = 'api.codewhisperer.profile';
const PROFILE_ARN = 'arn:aws:codewhisperer:us-east-1:699475941385:profile/EHGA3GRVQMUK';
const REFRESH = `aorAAAAAG${'x'.repeat(300)}`;

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-cli-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

interface Layout {
  authKv?: Record<string, unknown>;
  /** `state` values are BLOBs of UTF-8 JSON in the CLI. */
  state?: Record<string, unknown>;
}

async function writeDatabase(name: string, layout: Layout): Promise<string> {
  const SQL = await initSqlJs();
  const database = new SQL.Database();
  database.run('CREATE TABLE migrations (id INTEGER PRIMARY KEY, version INTEGER)');
  if (layout.authKv) {
    database.run('CREATE TABLE auth_kv (key TEXT PRIMARY KEY, value TEXT)');
    for (const [key, value] of Object.entries(layout.authKv)) {
      database.run('INSERT INTO auth_kv VALUES (?, ?)', [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]);
    }
  }
  if (layout.state) {
    database.run('CREATE TABLE state (key TEXT PRIMARY KEY, value BLOB)');
    for (const [key, value] of Object.entries(layout.state)) {
      database.run('INSERT INTO state VALUES (?, ?)', [key, new TextEncoder().encode(JSON.stringify(value))]);
    }
  }
  const file = path.join(dir, name);
  await fs.writeFile(file, database.export());
  database.close();
  return file;
}

const idcToken = {
  access_token: 'aoaAAAAAG-access',
  refresh_token: REFRESH,
  expires_at: '2026-11-22T09:15:30.123456789Z',
  region: 'eu-central-1',
  start_url: 'https://d-1234567890.awsapps.com/start',
  scopes: ['codewhisperer:completions', 'codewhisperer:conversations'],
  oauth_flow: 'DeviceCode',
};
const registration = (clientId: string) => ({
  client_id: clientId,
  client_secret: `secret-of-${clientId}`,
  client_secret_expires_at: '2027-02-20T09:15:30Z',
  region: 'us-west-2',
  scopes: ['codewhisperer:completions'],
  oauth_flow: 'DeviceCode',
});

describe('kiro-cli logins', () => {
  it('reads an IdC login with its device registration and the selected profile', async () => {
    const file = await writeDatabase('idc.sqlite3', {
      authKv: {
        'kirocli:odic:token': idcToken,
        'kirocli:odic:device-registration': registration('cid-kirocli'),
        'codewhisperer:odic:device-registration': registration('cid-legacy'),
      },
      state: { [PROFILE_STATE_KEY]: { arn: PROFILE_ARN, profile_name: 'default' } },
    });
    expect(await readKiroCliLogins([file])).toEqual({
      logins: [
        {
          authMethod: 'idc',
          accessToken: 'aoaAAAAAG-access',
          refreshToken: REFRESH,
          expiresAt: Date.UTC(2026, 10, 22, 9, 15, 30, 123),
          clientId: 'cid-kirocli',
          clientSecret: 'secret-of-cid-kirocli',
          region: 'eu-central-1',
          profileArn: PROFILE_ARN,
          startUrl: 'https://d-1234567890.awsapps.com/start',
          sourcePath: file,
          key: 'kirocli:odic:token',
        },
      ],
      problems: [],
    });
  });

  it('pairs the legacy Q token with the legacy registration and takes the region from it when needed', async () => {
    const { region: _region, ...tokenWithoutRegion } = idcToken;
    const file = await writeDatabase('q.sqlite3', {
      authKv: {
        'codewhisperer:odic:token': tokenWithoutRegion,
        'codewhisperer:odic:device-registration': registration('cid-legacy'),
        'kirocli:odic:device-registration': registration('cid-kirocli'),
      },
    });
    const { logins } = await readKiroCliLogins([file]);
    expect(logins).toMatchObject([
      { key: 'codewhisperer:odic:token', authMethod: 'idc', clientId: 'cid-legacy', region: 'us-west-2' },
    ]);
    expect(logins[0]!.profileArn).toBeUndefined();
  });

  it('reads a social login, taking the profile from the token and the region from its ARN', async () => {
    const file = await writeDatabase('social.sqlite3', {
      authKv: {
        'kirocli:social:token': {
          access_token: 'social-access',
          refresh_token: REFRESH,
          expires_at: '2026-11-22T09:15:30Z',
          profile_arn: PROFILE_ARN,
        },
      },
    });
    expect((await readKiroCliLogins([file])).logins).toEqual([
      {
        authMethod: 'social',
        accessToken: 'social-access',
        refreshToken: REFRESH,
        expiresAt: Date.UTC(2026, 10, 22, 9, 15, 30),
        clientId: undefined,
        clientSecret: undefined,
        region: 'us-east-1',
        profileArn: PROFILE_ARN,
        startUrl: undefined,
        sourcePath: file,
        key: 'kirocli:social:token',
      },
    ]);
  });

  it('prefers keys in priority order and skips an unusable higher-priority entry with a problem', async () => {
    const file = await writeDatabase('many.sqlite3', {
      authKv: {
        'codewhisperer:odic:token': idcToken,
        'kirocli:social:token': { access_token: 'no refresh token here' },
        'kirocli:external-idp:token': '{"refresh_token": "cut off',
      },
    });
    const { logins, problems } = await readKiroCliLogins([file]);
    expect(logins.map((login) => login.key)).toEqual(['codewhisperer:odic:token']);
    expect(problems).toEqual([
      expect.stringContaining(`${file}: kirocli:external-idp:token holds no usable token`),
      expect.stringContaining(`${file}: kirocli:social:token holds no usable token`),
    ]);
  });

  it('takes an external IdP login first, with the client id from its token', async () => {
    const file = await writeDatabase('external.sqlite3', {
      authKv: {
        'kirocli:external-idp:token': {
          access_token: 'eidp',
          refresh_token: REFRESH,
          client_id: 'entra-app',
        },
        'kirocli:social:token': { refresh_token: REFRESH },
      },
    });
    expect((await readKiroCliLogins([file])).logins).toMatchObject([
      { key: 'kirocli:external-idp:token', authMethod: 'external_idp', clientId: 'entra-app' },
    ]);
  });

  it('skips missing files and databases without logins silently, reports corrupt ones, keeps reading', async () => {
    const empty = await writeDatabase('empty.sqlite3', {});
    const corrupt = path.join(dir, 'corrupt.sqlite3');
    await fs.writeFile(corrupt, 'SQLite format 3\0 but then nothing a database would hold'.repeat(40));
    const good = await writeDatabase('good.sqlite3', {
      authKv: { 'kirocli:social:token': { refresh_token: REFRESH } },
    });
    const result = await readKiroCliLogins([path.join(dir, 'missing.sqlite3'), empty, corrupt, good]);
    expect(result.logins.map((login) => login.sourcePath)).toEqual([good]);
    expect(result.problems).toEqual([
      expect.stringMatching(/corrupt\.sqlite3: not a readable kiro-cli database/),
    ]);
  });

  it('never writes the database', async () => {
    const file = await writeDatabase('idc.sqlite3', { authKv: { 'kirocli:odic:token': idcToken } });
    const before = await fs.readFile(file);
    const { mtimeMs } = await fs.stat(file);
    await readKiroCliLogins([file]);
    expect(await fs.readFile(file)).toEqual(before);
    expect((await fs.stat(file)).mtimeMs).toBe(mtimeMs);
    expect(await fs.readdir(dir)).toEqual(['idc.sqlite3']);
  });
});

describe('default kiro-cli database paths', () => {
  it('uses each OS local data folder for kiro-cli and the Amazon Q CLI', () => {
    expect(defaultKiroCliDatabasePaths('linux', '/home/u')).toEqual([
      path.join('/home/u', '.local', 'share', 'kiro-cli', 'data.sqlite3'),
      path.join('/home/u', '.local', 'share', 'amazon-q', 'data.sqlite3'),
    ]);
    expect(defaultKiroCliDatabasePaths('darwin', '/Users/u')).toEqual([
      path.join('/Users/u', 'Library', 'Application Support', 'kiro-cli', 'data.sqlite3'),
      path.join('/Users/u', 'Library', 'Application Support', 'amazon-q', 'data.sqlite3'),
    ]);
  });
});
