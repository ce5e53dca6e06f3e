import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEventStream } from '../emulator/decodeEventStream.ts';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { kiroRequestBody } from '../emulator/kiroRequestBody.ts';
import { rawRequest } from '../emulator/rawRequest.ts';

let emulator: KiroEmulator;
beforeAll(async () => {
  emulator = await startKiroEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const BEARER_INVALID = { message: 'The bearer token included in the request is invalid.', reason: null };

async function chat(accessToken: string | undefined, content = 'hi') {
  const headers: Record<string, string> = accessToken ? { authorization: `Bearer ${accessToken}` } : {};
  return rawRequest(`${emulator.url}/generateAssistantResponse`, { body: kiroRequestBody(content), headers });
}

async function postJson(path: string, body: unknown) {
  const response = await rawRequest(`${emulator.url}${path}`, { body });
  return { status: response.status, body: JSON.parse(response.body.toString()) as Record<string, unknown> };
}

async function usageLimits(accessToken: string) {
  const response = await rawRequest(
    `${emulator.url}/getUsageLimits?origin=AI_EDITOR&resourceType=AGENTIC_REQUEST`,
    {
      headers: { authorization: `Bearer ${accessToken}` },
    },
  );
  return { status: response.status, body: JSON.parse(response.body.toString()) as Record<string, unknown> };
}

describe('bearer authentication', () => {
  it('rejects a missing, unknown or expired access token with the real 403', async () => {
    const expired = emulator.createSocialAccount({ expired: true });
    expect(Date.parse(expired.expiresAt)).toBeLessThan(Date.now());
    for (const token of [undefined, 'aoa-not-issued-here', expired.accessToken]) {
      const response = await chat(token);
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body.toString())).toEqual(BEARER_INVALID);
    }
    expect((await usageLimits('aoa-not-issued-here')).status).toBe(403);
  });

  it('accepts a fresh token until expireAccessTokens()', async () => {
    const account = emulator.createSocialAccount();
    expect(Date.parse(account.expiresAt)).toBeGreaterThan(Date.now() + 3500_000);
    expect((await chat(account.accessToken)).status).toBe(200);
    emulator.expireAccessTokens();
    expect((await chat(account.accessToken)).status).toBe(403);
  });
});

describe('social refresh', () => {
  it('rotates the refresh token: the new pair works, the old refresh token is dead', async () => {
    const account = emulator.createSocialAccount({ expired: true });
    const countBefore = emulator.refreshCount;
    const refreshed = await postJson('/refreshToken', { refreshToken: account.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      profileArn: account.profileArn,
      expiresIn: 3600,
    });
    expect(refreshed.body['refreshToken']).not.toBe(account.refreshToken);
    expect((refreshed.body['refreshToken'] as string).length).toBeGreaterThan(100);
    expect((await chat(refreshed.body['accessToken'] as string)).status).toBe(200);

    const replay = await postJson('/refreshToken', { refreshToken: account.refreshToken });
    expect(replay).toEqual({
      status: 400,
      body: { error: 'invalid_grant', message: 'Invalid refresh token provided' },
    });
    expect((await postJson('/refreshToken', { refreshToken: refreshed.body['refreshToken'] })).status).toBe(
      200,
    );
    expect(emulator.refreshCount - countBefore).toBe(3);
  });

  it('keeps the refresh token when rotation is off, and honours accessTokenTtlSeconds', async () => {
    const own = await startKiroEmulator({ rotateRefreshTokens: false, accessTokenTtlSeconds: 60 });
    const account = own.createSocialAccount();
    const first = await rawRequest(`${own.url}/refreshToken`, {
      body: { refreshToken: account.refreshToken },
    });
    const second = await rawRequest(`${own.url}/refreshToken`, {
      body: { refreshToken: account.refreshToken },
    });
    await own.close();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(JSON.parse(first.body.toString())).toMatchObject({
      refreshToken: account.refreshToken,
      expiresIn: 60,
    });
  });

  it('refuses a revoked refresh token', async () => {
    const account = emulator.createSocialAccount();
    emulator.revokeRefreshToken(account.refreshToken);
    expect((await postJson('/refreshToken', { refreshToken: account.refreshToken })).status).toBe(400);
  });
});

describe('IdC CreateToken', () => {
  it('issues tokens for the right client and refresh token', async () => {
    const account = emulator.createIdcAccount({ expired: true, region: 'eu-central-1' });
    expect(account.region).toBe('eu-central-1');
    const { clientId, clientSecret, refreshToken } = account;
    const answer = await postJson('/token', {
      clientId,
      clientSecret,
      refreshToken,
      grantType: 'refresh_token',
    });
    expect(answer).toEqual({
      status: 200,
      body: {
        accessToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 3600,
        refreshToken: expect.any(String),
      },
    });
    expect(answer.body['refreshToken']).not.toBe(refreshToken);
    expect((await chat(answer.body['accessToken'] as string)).status).toBe(200);
  });

  it('answers invalid_client for a wrong secret and invalid_grant for a wrong token', async () => {
    const { clientId, clientSecret, refreshToken } = emulator.createIdcAccount();
    const other = emulator.createIdcAccount();
    const grantType = 'refresh_token';
    const badClient = await postJson('/token', { clientId, clientSecret: 'nope', refreshToken, grantType });
    expect(badClient).toEqual({ status: 400, body: { error: 'invalid_client' } });
    const foreignToken = await postJson('/token', {
      clientId,
      clientSecret,
      refreshToken: other.refreshToken,
      grantType,
    });
    expect(foreignToken).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid refresh token provided' },
    });
    // An IdC refresh token is not a social one.
    expect((await postJson('/refreshToken', { refreshToken })).status).toBe(400);
  });
});

describe('usage', () => {
  it('counts each successful request and its metered credits for its own account only', async () => {
    const account = emulator.createSocialAccount();
    const bystander = emulator.createSocialAccount();
    let metered = 0;
    for (const content of ['first', 'second question']) {
      const response = await chat(account.accessToken, content);
      const metering = decodeEventStream(response.body).find(
        (frame) => frame.headers[':event-type'] === 'meteringEvent',
      );
      metered += (metering!.payload as { usage: number }).usage;
    }
    await rawRequest(`${emulator.url}/generateAssistantResponse`, {
      body: { conversationState: {} },
      headers: { authorization: `Bearer ${account.accessToken}` },
    });
    const usage = emulator.usage(account.accountId);
    expect(usage.requestCount).toBe(2);
    expect(usage.credits).toBeCloseTo(metered, 6);
    expect(emulator.usage(bystander.accountId)).toMatchObject({ requestCount: 0, credits: 0 });

    const limits = await usageLimits(account.accessToken);
    expect(limits.status).toBe(200);
    const [credit] = limits.body['usageBreakdownList'] as Array<Record<string, unknown>>;
    expect(credit).toMatchObject({
      resourceType: 'CREDIT',
      currentUsageWithPrecision: usage.credits,
      usageLimit: usage.creditLimit,
    });
    expect(limits.body['nextDateReset']).toBeGreaterThan(Date.now() / 1000);
    expect(new Date((limits.body['nextDateReset'] as number) * 1000).getUTCDate()).toBe(1);
    expect(limits.body).toMatchObject({
      subscriptionInfo: { subscriptionTitle: expect.stringMatching(/^KIRO /) },
      userInfo: { email: expect.stringContaining('@') },
    });
  });
});
