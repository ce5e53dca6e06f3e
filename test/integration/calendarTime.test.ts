/**
 * Kiro Dock and the emulator on one fake clock set to fixed dates: an account parked weeks before its quota
 * reset stays parked, a token that lives 30 days is not refreshed again and again, and a laptop that slept for
 * two hours wakes up to one refresh per account and no failed request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '../support/fakeClock.ts';
import { postJson, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

const SECOND_MS = 1_000;
const HOUR_MS = 60 * 60 * SECOND_MS;
const DAY_MS = 24 * HOUR_MS;

let proxy: ProxyHarness | undefined;
afterEach(async () => {
  expect(proxy?.emulator.strictRejections() ?? []).toEqual([]);
  await proxy?.close();
  proxy = undefined;
});

function ask(content: string) {
  return postJson(`${proxy!.url}/v1/messages`, {
    model: 'claude-sonnet-4-5',
    max_tokens: 64,
    messages: [{ role: 'user', content }],
  });
}

const chatCalls = () =>
  proxy!.emulator.requests.filter((entry) => entry.operation === 'generateAssistantResponse');

/**
 * Lets the network calls that timers started (refreshes, quota reads) finish, however busy the machine: until the
 * emulator has answered every call it got and no new one came for three rounds in a row.
 */
async function settle(): Promise<void> {
  const requests = proxy!.emulator.requests;
  for (let quietRounds = 0, round = 0; quietRounds < 3 && round < 500; round++) {
    const seen = requests.length;
    await new Promise((resolve) => setTimeout(resolve, 10));
    const answered = requests.every((entry) => entry.status !== undefined);
    quietRounds = answered && requests.length === seen ? quietRounds + 1 : 0;
  }
}

/** Moves the fake time on in steps, letting the calls each step starts go through, as real time would. */
async function passTime(clock: FakeClock, totalMs: number, stepMs: number): Promise<void> {
  for (let passed = 0; passed < totalMs; passed += stepMs) {
    clock.advance(Math.min(stepMs, totalMs - passed));
    await settle();
  }
}

describe('on a real calendar', () => {
  it('an account exhausted 31 days before its reset stays parked for those 31 days, then serves again', async () => {
    const clock = createFakeClock(Date.UTC(2027, 0, 1, 0, 0, 0));
    proxy = await startProxyHarness({ manualAccounts: 1, clock });
    const manual = proxy.core.repository.list().find((record) => record.source === 'manual')!;
    const manualEmulatorId = proxy.emulatorAccountIds.manual[0]!;
    proxy.emulator.setCredits(manualEmulatorId, 10, 10);
    expect((await ask('hi')).status).toBe(200);
    const reset = Date.UTC(2027, 1, 1);
    await expect
      .poll(() => proxy!.core.accounts.pool.get(manual.id)?.state)
      .toMatchObject({ kind: 'exhausted', until: reset });

    // Thirty days and 23 hours, in steps of twelve hours: quota reads and refreshes run as they would.
    await passTime(clock, reset - clock.now() - HOUR_MS, 12 * HOUR_MS);
    expect(proxy.core.accounts.pool.get(manual.id)?.state).toMatchObject({ kind: 'exhausted', until: reset });
    const callsBefore = chatCalls().length;
    expect((await ask('still parked?')).status).toBe(200);
    expect(
      chatCalls()
        .slice(callsBefore)
        .map((call) => call.accountId),
    ).toEqual([proxy.emulatorAccountIds.ide]);

    proxy.emulator.setCredits(manualEmulatorId, 10, 0); // the upstream's monthly reset
    await passTime(clock, HOUR_MS, 10 * 60 * SECOND_MS);
    expect(proxy.core.accounts.pool.get(manual.id)?.state).toEqual({ kind: 'active' });
    expect((await ask('back')).status).toBe(200);
    expect(chatCalls().at(-1)!.accountId).toBe(manualEmulatorId);
    expect(clock.overflowedTimers).toBe(0);
  });

  it('a token that lives 30 days causes no refresh in the first minute, nor in the first day', async () => {
    const clock = createFakeClock(Date.UTC(2027, 11, 31, 23, 59, 0));
    proxy = await startProxyHarness({
      clock,
      expiredToken: true,
      emulator: { accessTokenTtlSeconds: 30 * 24 * 3600 },
    });
    await expect.poll(() => proxy!.emulator.refreshCount).toBe(1);
    await passTime(clock, 60 * SECOND_MS, SECOND_MS);
    expect(proxy.emulator.refreshCount).toBe(1);
    expect((await ask('new year')).status).toBe(200);
    await passTime(clock, DAY_MS, HOUR_MS);
    expect(proxy.emulator.refreshCount).toBe(1);
    expect(clock.overflowedTimers).toBe(0);
  });

  it('after two hours of sleep: one refresh per account and no failed request', async () => {
    const clock = createFakeClock(Date.UTC(2027, 1, 28, 22, 0, 0));
    proxy = await startProxyHarness({ clock, manualAccounts: 1 });
    proxy.core.accounts.pool.setStrategy('round-robin');
    expect((await ask('before the lid closed')).status).toBe(200);
    expect(proxy.emulator.refreshCount).toBe(0);
    const quotaReads = () =>
      proxy!.emulator.requests.filter((entry) => entry.operation === 'getUsageLimits').length;
    const quotaReadsBefore = quotaReads();

    // Asleep: the wall clock moves two hours, the monotonic clock (and Node's timers) does not.
    clock.jump(2 * HOUR_MS);
    const first = await ask('first thing after wake');
    expect(first.status, first.text).toBe(200);
    await passTime(clock, 15 * SECOND_MS, SECOND_MS); // the clock's next check notices the jump
    expect(proxy.emulator.refreshCount).toBe(2);
    expect(quotaReads() - quotaReadsBefore).toBeGreaterThanOrEqual(2);

    const later = await Promise.all([ask('a'), ask('b'), ask('c'), ask('d')]);
    expect(later.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(proxy.emulator.refreshCount).toBe(2);
    expect(clock.overflowedTimers).toBe(0);
  });
});
