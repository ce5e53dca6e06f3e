import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readKiroAuthFile, writeBackKiroAuthFile } from '../../electron/core/accounts/kiroAuthFile.ts';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-auth-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function writeJson(name: string, value: unknown) {
  await fs.writeFile(path.join(dir, name), JSON.stringify(value), { mode: 0o600 });
}

describe('kiro-auth-token.json', () => {
  it('reads a social login', async () => {
    await writeJson('kiro-auth-token.json', {
      accessToken: 'a1',
      refreshToken: 'r1',
      profileArn: 'arn:aws:codewhisperer:us-east-1:1:profile/X',
      expiresAt: '2026-11-22T01:00:00.000Z',
      authMethod: 'social',
      provider: 'Github',
    });
    expect(await readKiroAuthFile(dir)).toEqual({
      accessToken: 'a1',
      refreshToken: 'r1',
      profileArn: 'arn:aws:codewhisperer:us-east-1:1:profile/X',
      expiresAtMs: Date.parse('2026-11-22T01:00:00.000Z'),
      authMethod: 'social',
      provider: 'Github',
      region: undefined,
    });
  });

  it('reads an IdC login with its client registration file', async () => {
    await writeJson('kiro-auth-token.json', {
      accessToken: 'a1',
      refreshToken: 'r1',
      expiresAt: '2026-11-22T01:00:00.000Z',
      authMethod: 'IdC',
      provider: 'BuilderId',
      region: 'us-east-1',
      clientIdHash: 'abc123',
    });
    await writeJson('abc123.json', {
      clientId: 'cid',
      clientSecret: 'csecret',
      expiresAt: '2027-01-01T00:00:00Z',
    });
    const token = await readKiroAuthFile(dir);
    expect(token).toMatchObject({
      authMethod: 'idc',
      clientId: 'cid',
      clientSecret: 'csecret',
      region: 'us-east-1',
    });
  });

  it('recognises an enterprise login through an external IdP', async () => {
    await writeJson('kiro-auth-token.json', {
      accessToken: 'a1',
      refreshToken: 'r1',
      authMethod: 'external_idp',
      provider: 'ExternalIdp',
      tokenEndpoint: 'https://login.example.com/oauth2/v2.0/token',
    });
    expect((await readKiroAuthFile(dir))?.authMethod).toBe('external_idp');
  });

  it('treats a missing or half-written file as no login', async () => {
    expect(await readKiroAuthFile(dir)).toBeUndefined();
    await fs.writeFile(path.join(dir, 'kiro-auth-token.json'), '{"accessToken": "a1", "refre');
    expect(await readKiroAuthFile(dir)).toBeUndefined();
  });

  it('writes back only refreshed fields, keeps unknown ones, mode 0600, no temp files left', async () => {
    await writeJson('kiro-auth-token.json', {
      accessToken: 'old',
      refreshToken: 'r-old',
      expiresAt: '2026-01-01T00:00:00.000Z',
      authMethod: 'social',
      provider: 'Google',
      somethingNew: { kept: true },
    });
    const expiresAtMs = Date.parse('2026-11-22T02:00:00.000Z');
    await writeBackKiroAuthFile(dir, { accessToken: 'new', refreshToken: 'r-new', expiresAtMs });
    const written = JSON.parse(await fs.readFile(path.join(dir, 'kiro-auth-token.json'), 'utf8'));
    expect(written).toEqual({
      accessToken: 'new',
      refreshToken: 'r-new',
      expiresAt: '2026-11-22T02:00:00.000Z',
      authMethod: 'social',
      provider: 'Google',
      somethingNew: { kept: true },
    });
    const stat = await fs.stat(path.join(dir, 'kiro-auth-token.json'));
    if (process.platform !== 'win32') expect(stat.mode & 0o777).toBe(0o600);
    expect(await fs.readdir(dir)).toEqual(['kiro-auth-token.json']);
  });

  it('keeps the refresh token when the refresh did not rotate it', async () => {
    await writeJson('kiro-auth-token.json', { accessToken: 'old', refreshToken: 'r1', authMethod: 'social' });
    await writeBackKiroAuthFile(dir, { accessToken: 'new', expiresAtMs: 0 });
    expect((await readKiroAuthFile(dir))?.refreshToken).toBe('r1');
  });
});
