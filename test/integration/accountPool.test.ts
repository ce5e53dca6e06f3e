/**
 * Several accounts against the emulator: refresh storms, failover for each error class with the emulator's
 * request counts, and what the client sees when no account can serve.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createShiftedClock } from '../support/shiftedClock.ts';
import { postJson, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

function ask(content: string, extra: Record<string, unknown> = {}) {
  return postJson(`${proxy!.url}/v1/messages`, {
    model: 'claude-sonnet-4-5',
    max_tokens: 128,
    messages: [{ role: 'user', content }],
    ...extra,
  });
}

/** Which account (by its bearer token's owner) served each generateAssistantResponse call. */
function chatCalls() {
  return proxy!.emulator.requests.filter((entry) => entry.operation === 'generateAssistantResponse');
}

describe('a pool of accounts', () => {
  it('one refresh per account however many requests need it', async () => {
    proxy = await startProxyHarness({ expiredToken: true, manualAccounts: 2 });
    for (const account of proxy.core.repository.list()) {
      const secrets = await proxy.core.repository.readSecrets(account.id);
      await proxy.core.repository.writeSecrets(account.id, { ...secrets, expiresAt: 0 });
    }
    await proxy.core.accounts.reload();
    proxy.core.accounts.pool.setStrategy('round-robin');
    const results = await Promise.all(Array.from({ length: 60 }, () => ask('hi')));
    expect(results.map((r) => r.status)).toEqual(Array(60).fill(200));
    expect(proxy.emulator.refreshCount).toBe(3);
    expect(new Set(chatCalls().map((call) => call.accountId)).size).toBe(3);
  });

  it('a suspended account is parked and the request moves to another account', async () => {
    proxy = await startProxyHarness({ manualAccounts: 1 });
    proxy.emulator.setFault({ kind: '403-suspended', times: 1 });
    const result = await ask('hi [[reply:served by the other]]');
    expect(result.status).toBe(200);
    const [first, second] = chatCalls();
    expect(first!.accountId).not.toBe(second!.accountId);
    const states = proxy.core.accounts.pool.snapshot().map((account) => account.state.kind);
    expect(states.sort()).toEqual(['active', 'suspended']);
    // The next request does not try the suspended account again.
    await ask('again');
    expect(chatCalls().at(-1)!.accountId).toBe(second!.accountId);
  });

  it('a throttled account cools down and the request moves on without waiting', async () => {
    proxy = await startProxyHarness({ manualAccounts: 1 });
    proxy.emulator.setFault({ kind: '429', times: 1 });
    const started = Date.now();
    const result = await ask('hi');
    expect(result.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_500); // the 2 s Retry-After was not waited out
    const cooling = proxy.core.accounts.pool.snapshot().filter((a) => a.state.kind === 'cooling_down');
    expect(cooling).toHaveLength(1);
  });

  it('5xx moves to another account', async () => {
    proxy = await startProxyHarness({ manualAccounts: 1 });
    proxy.emulator.setFault({ kind: '500', times: 1 });
    expect((await ask('hi')).status).toBe(200);
    expect(chatCalls()).toHaveLength(2);
  });

  it('a 400 is not retried on any account', async () => {
    proxy = await startProxyHarness({ manualAccounts: 2 });
    const result = await ask('[[fault:400-too-long]]');
    expect(result.status).toBe(400);
    expect(chatCalls()).toHaveLength(1);
  });

  it('when every account is suspended the client is told why', async () => {
    proxy = await startProxyHarness({ manualAccounts: 1 });
    proxy.emulator.setFault({ kind: '403-suspended', times: 2 });
    const result = await ask('hi');
    expect(result.status).toBe(503);
    expect(result.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(result.text).toMatch(/suspended/);
    expect(chatCalls()).toHaveLength(2);
  });

  it('keeps one conversation on one account (sticky sessions)', async () => {
    proxy = await startProxyHarness({ manualAccounts: 2 });
    proxy.core.accounts.pool.setStrategy('round-robin');
    const session = { metadata: { user_id: JSON.stringify({ device_id: 'd', session_id: 'session-1' }) } };
    for (let i = 0; i < 4; i++) expect((await ask(`turn ${i}`, session)).status).toBe(200);
    expect(new Set(chatCalls().map((call) => call.accountId)).size).toBe(1);
    await ask('other conversation', { metadata: { user_id: 'someone-else' } });
    await ask('yet another', { metadata: { user_id: 'third' } });
    expect(new Set(chatCalls().map((call) => call.accountId)).size).toBeGreaterThan(1);
  });

  it('an account out of credits is confirmed with getUsageLimits and parked until its reset, then comes back', async () => {
    // The 3rd: the reset (the 1st of next month) is 29 days away, beyond the 24.8 days a Node timer can wait.
    const clock = createShiftedClock(Date.UTC(2027, 0, 3, 12));
    proxy = await startProxyHarness({ manualAccounts: 1, clock });
    // Sequential order: the manual account (added first) serves first, and it is out of credits.
    const exhaustedAccount = proxy.core.repository.list().find((record) => record.source === 'manual')!;
    proxy.emulator.setCredits(proxy.emulatorAccountIds.manual[0]!, 10, 10);
    const result = await ask('hi');
    expect(result.status).toBe(200);
    // One call when the start-up quota check has already parked it, two when the request's 402 comes first.
    expect(chatCalls().length).toBeLessThanOrEqual(2);
    expect(chatCalls().at(-1)?.accountId).toBe(proxy.emulatorAccountIds.ide);
    const nextReset = Date.UTC(2027, 1, 1);
    await expect
      .poll(() => proxy!.core.accounts.pool.get(exhaustedAccount.id)?.state)
      .toMatchObject({ kind: 'exhausted', until: nextReset });
    expect(proxy.core.accounts.pool.get(exhaustedAccount.id)?.quota).toMatchObject({
      used: 10,
      limit: 10,
      remaining: 0,
    });

    proxy.emulator.setCredits(proxy.emulatorAccountIds.manual[0]!, 1000, 0);
    await proxy.core.accounts.checkQuota(exhaustedAccount.id);
    expect(proxy.core.accounts.pool.get(exhaustedAccount.id)?.state.kind).toBe('active');
  });

  it('over capacity the client gets a 429 in its own shape with retry-after', async () => {
    proxy = await startProxyHarness({ poolLimits: { maxConcurrentPerAccount: 1, maxQueue: 0 } });
    const slow = ask('slowly [[chunks:20]] [[delay:25]]');
    await expect.poll(() => chatCalls().length).toBe(1);
    const rejected = await postJson(`${proxy.url}/v1/chat/completions`, {
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'me too' }],
    });
    expect(rejected.status).toBe(429);
    expect(rejected.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(rejected.json()).toMatchObject({ error: { type: 'rate_limit_error' } });
    expect((await slow).status).toBe(200);
  });
});
