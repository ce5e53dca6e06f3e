import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SETTING_IDE_WRITE_BACK } from '../../electron/core/index.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { postJson, startProxyHarness, writeIdeLogin, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const hello = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };

async function readLogin(dir: string) {
  return JSON.parse(await fs.readFile(path.join(dir, 'kiro-auth-token.json'), 'utf8')) as Record<
    string,
    string
  >;
}

describe('the Kiro IDE login', () => {
  it('100 concurrent requests on an expired token cause one refresh and no failure', async () => {
    // A queue for all of them: what is under test is the one refresh, not how fast the first answers free a
    // place (the first call to Kiro also loads the HTTP client, so a burst may arrive before any answer).
    proxy = await startProxyHarness({ expiredToken: true, poolLimits: { maxQueue: 100 } });
    const before = await readLogin(proxy.authDir);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => postJson(`${proxy!.url}/v1/messages`, hello)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(proxy.emulator.refreshCount).toBe(1);
    // The rotated refresh token was written back for the IDE, other fields untouched.
    const after = await readLogin(proxy.authDir);
    expect(after['refreshToken']).not.toBe(before['refreshToken']);
    expect(after['accessToken']).not.toBe(before['accessToken']);
    expect(after['provider']).toBe('Github');
    expect(Date.parse(after['expiresAt']!)).toBeGreaterThan(Date.now());
  });

  it('uses a token the IDE refreshed on its own instead of refreshing again', async () => {
    proxy = await startProxyHarness();
    // The IDE refreshes the shared login itself (rotating the refresh token) and rewrites its file…
    const login = await readLogin(proxy.authDir);
    const refreshed = await fetch(`${proxy.emulator.url}/refreshToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: login['refreshToken'] }),
    }).then(
      (response) =>
        response.json() as Promise<{ accessToken: string; refreshToken: string; expiresIn: number }>,
    );
    await writeIdeLogin(proxy.authDir, {
      ...refreshed,
      profileArn: login['profileArn'],
      expiresAt: new Date(Date.now() + refreshed.expiresIn * 1000).toISOString(),
    });
    // …and then Kiro Dock needs a fresh token (Kiro rejected its copy): it must adopt the IDE's tokens from the
    // file, not refresh with its own refresh token, which the IDE's refresh has just killed.
    const ide = proxy.core.repository.list().find((record) => record.source === 'kiro-ide')!;
    const stale = await proxy.core.repository.readSecrets(ide.id);
    const credential = await proxy.core.accounts.forceRefresh(ide.id, {
      accessToken: stale!.accessToken!,
      machineId: 'x',
    });
    expect(credential.accessToken).toBe(refreshed.accessToken);
    expect(proxy.emulator.refreshCount).toBe(1); // the IDE's own refresh only
    expect((await proxy.core.repository.readSecrets(ide.id))?.refreshToken).toBe(refreshed.refreshToken);
    expect((await postJson(`${proxy.url}/v1/messages`, hello)).status).toBe(200);
  });

  it('tells the user to sign in when there is no login, and picks one up without a restart', async () => {
    proxy = await startProxyHarness({ noAccount: true });
    const missing = await postJson(`${proxy.url}/v1/messages`, hello);
    expect(missing.status).toBe(503);
    expect(missing.json()).toMatchObject({
      type: 'error',
      error: { message: expect.stringMatching(/sign in to Kiro IDE/) },
    });

    await writeIdeLogin(proxy.authDir, proxy.emulator.createSocialAccount());
    expect((await postJson(`${proxy.url}/v1/messages`, hello)).status).toBe(200);
  });

  it('a revoked refresh token asks for a new login instead of failing silently', async () => {
    let login: Record<string, string> = {};
    proxy = await startProxyHarness({
      expiredToken: true,
      prepare: async (emulator, authDir) => {
        login = await readLogin(authDir);
        emulator.revokeRefreshToken(login['refreshToken']!);
      },
    });
    const result = await postJson(`${proxy.url}/v1/chat/completions`, {
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(result.status).toBe(503);
    expect(result.json()).toMatchObject({
      error: { message: expect.stringMatching(/sign in to Kiro IDE again/i) },
    });
    // The dead token stays on disk: nothing is lost if the user re-logs in elsewhere.
    expect((await readLogin(proxy.authDir))['refreshToken']).toBe(login['refreshToken']);
  });

  it('follows the IDE file while running: a new login replaces the old one without a restart', async () => {
    proxy = await startProxyHarness();
    const newLogin = proxy.emulator.createSocialAccount();
    await writeIdeLogin(proxy.authDir, newLogin);
    const ide = proxy.core.repository.list().find((record) => record.source === 'kiro-ide')!;
    await expect
      .poll(async () => (await proxy!.core.repository.readSecrets(ide.id))?.refreshToken, { timeout: 5_000 })
      .toBe(newLogin.refreshToken);
    expect((await postJson(`${proxy.url}/v1/messages`, hello)).status).toBe(200);
    const lastChat = proxy.emulator.requests
      .filter((entry) => entry.operation === 'generateAssistantResponse')
      .at(-1);
    expect(lastChat?.accountId).toBe(newLogin.accountId);
  });

  it('an IDE logout marks the account as needing a new login', async () => {
    proxy = await startProxyHarness();
    await fs.rm(path.join(proxy.authDir, 'kiro-auth-token.json'));
    const ide = proxy.core.repository.list().find((record) => record.source === 'kiro-ide')!;
    await expect
      .poll(() => proxy!.core.accounts.pool.get(ide.id)?.state, { timeout: 5_000 })
      .toMatchObject({ kind: 'needs_relogin', howToFix: expect.stringMatching(/Kiro IDE/) });
  });

  it('with write-back off, refreshes stay in Kiro Dock and the IDE file is left as it was', async () => {
    proxy = await startProxyHarness({
      expiredToken: true,
      settings: createMemorySettingsStore({ [SETTING_IDE_WRITE_BACK]: false }),
    });
    const before = await fs.readFile(path.join(proxy.authDir, 'kiro-auth-token.json'), 'utf8');
    expect((await postJson(`${proxy.url}/v1/messages`, hello)).status).toBe(200);
    expect(proxy.emulator.refreshCount).toBe(1);
    expect(await fs.readFile(path.join(proxy.authDir, 'kiro-auth-token.json'), 'utf8')).toBe(before);
    // A later sync of the (now older) IDE file does not replace the refreshed tokens.
    await proxy.core.accounts.reload();
    expect((await postJson(`${proxy.url}/v1/messages`, hello)).status).toBe(200);
    expect(proxy.emulator.refreshCount).toBe(1);
  });
});
