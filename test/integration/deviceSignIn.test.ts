/**
 * The device flow's timing on a fake clock against the emulator's AWS sign-in: polls keep the interval, a
 * `slow_down` adds 5 s for good, the code's lifetime bounds the wait even if the service never says
 * `expired_token`, a cancel ends the wait at once, and "Sign in again" keeps the account's id and label.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAccountRepository,
  type AccountRepository,
} from '../../electron/core/accounts/accountRepository.ts';
import { createMemorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import type { DevicePrompt } from '../../electron/core/signin/deviceFlow.ts';
import { signIn, type SignInResult } from '../../electron/core/signin/signIn.ts';
import { resolveSignInEndpoints } from '../../electron/core/signin/signInEndpoints.ts';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { createFakeClock, type FakeClock } from '../support/fakeClock.ts';

let emulator: KiroEmulator;
let clock: FakeClock;
let repository: AccountRepository;

beforeEach(async () => {
  clock = createFakeClock();
  emulator = await startKiroEmulator({
    now: () => clock.now(),
    devicePollIntervalSeconds: 2,
    deviceCodeTtlSeconds: 120,
  });
  repository = createAccountRepository({
    settings: createMemorySettingsStore(),
    secrets: createMemorySecretStore(),
    clock,
  });
});
afterEach(() => emulator.close());

function start(request: Parameters<typeof signIn>[1] = { method: 'builder-id' }, signal?: AbortSignal) {
  let shown: (prompt: DevicePrompt) => void = () => {};
  const prompt = new Promise<DevicePrompt>((resolve) => (shown = resolve));
  const done: Promise<SignInResult> = signIn(
    { repository, clock, endpoints: resolveSignInEndpoints(emulator.url) },
    request,
    { signal, onDevicePrompt: (p) => shown(p) },
  );
  done.catch(() => {});
  return { prompt, done };
}

const pollsOf = (userCode: string) =>
  emulator.deviceAuthorizations().find((e) => e.userCode === userCode)!.polls;

/** Moves the clock and waits until the emulator has seen `polls` CreateToken calls for the code. */
async function advanceUntilPolls(userCode: string, ms: number, polls: number) {
  clock.advance(ms);
  await expect.poll(() => pollsOf(userCode)).toBe(polls);
}

describe('device sign-in timing', () => {
  it('polls at the interval, slows down by 5 s after slow_down, and adds the approved login', async () => {
    const { prompt, done } = start();
    const { userCode, expiresAt } = await prompt;
    expect(expiresAt).toBe(clock.now() + 120_000);
    clock.advance(1999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pollsOf(userCode)).toBe(0);
    await advanceUntilPolls(userCode, 1, 1);
    emulator.decideDeviceAuthorization(userCode, 'slow-down');
    await advanceUntilPolls(userCode, 2000, 2);
    // 2 s is no longer enough: the next poll comes after 7 s.
    clock.advance(6999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pollsOf(userCode)).toBe(2);
    await advanceUntilPolls(userCode, 1, 3);
    emulator.decideDeviceAuthorization(userCode, 'approved');
    await advanceUntilPolls(userCode, 7000, 4);
    const { account, renewed } = await done;
    expect(renewed).toBe(false);
    expect(account).toMatchObject({
      authMethod: 'idc',
      provider: 'BuilderId',
      authRegion: 'us-east-1',
      signIn: { method: 'builder-id', startUrl: 'https://view.awsapps.com/start', region: 'us-east-1' },
    });
    expect(account.profileArn).toMatch(/^arn:aws:codewhisperer:us-east-1:/);
    const secrets = await repository.readSecrets(account.id);
    expect(secrets?.clientId).toBe(emulator.deviceAuthorizations()[0]!.clientId);
    expect(secrets?.refreshToken).toMatch(/^aor/);
    expect(emulator.deviceAuthorizations()[0]!.slowDowns).toBe(1);
  });

  it('gives up when the code lifetime is over even if the service keeps saying pending', async () => {
    const { prompt, done } = start();
    const { userCode } = await prompt;
    for (let poll = 1; poll <= 59; poll += 1) await advanceUntilPolls(userCode, 2000, poll);
    // The next poll would land on the code's end: the flow stops on its own, without asking again.
    await expect(done).rejects.toMatchObject({ failure: 'expired' });
    expect(pollsOf(userCode)).toBe(59);
    expect(repository.list()).toEqual([]);
  });

  it('ends at once when cancelled while waiting', async () => {
    const cancel = new AbortController();
    const { prompt, done } = start({ method: 'builder-id' }, cancel.signal);
    await prompt;
    cancel.abort();
    await expect(done).rejects.toMatchObject({ failure: 'cancelled' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('signs in again for an expired account: same id and label, new tokens, state cleared', async () => {
    const first = start();
    const code = (await first.prompt).userCode;
    emulator.decideDeviceAuthorization(code, 'approved');
    await advanceUntilPolls(code, 2000, 1);
    const { account } = await first.done;
    repository.update(account.id, { label: 'work' });
    repository.persistState(account.id, {
      kind: 'needs_relogin',
      reason: 'dead',
      howToFix: 'Sign in again.',
    });
    const oldSecrets = await repository.readSecrets(account.id);

    const again = start({ ...account.signIn!, accountId: account.id });
    const secondCode = (await again.prompt).userCode;
    emulator.decideDeviceAuthorization(secondCode, 'approved');
    await advanceUntilPolls(secondCode, 2000, 1);
    const renewed = await again.done;
    expect(renewed).toMatchObject({
      renewed: true,
      account: { id: account.id, label: 'work', addedAt: account.addedAt },
    });
    expect(repository.list()).toHaveLength(1);
    expect(repository.persistedState(account.id)).toBeUndefined();
    expect((await repository.readSecrets(account.id))?.refreshToken).not.toBe(oldSecrets?.refreshToken);
  });

  it('signs in to an IAM Identity Center with its start URL and region', async () => {
    const startUrl = 'https://my-company.awsapps.com/start';
    const flow = start({ method: 'idc', startUrl, region: 'eu-west-1', label: 'work' });
    const { userCode } = await flow.prompt;
    expect(emulator.deviceAuthorizations().at(-1)).toMatchObject({ userCode, startUrl });
    emulator.decideDeviceAuthorization(userCode, 'approved');
    await advanceUntilPolls(userCode, 2000, 1);
    const { account } = await flow.done;
    expect(account).toMatchObject({
      label: 'work',
      authMethod: 'idc',
      provider: 'Enterprise',
      authRegion: 'eu-west-1',
      signIn: { method: 'idc', startUrl, region: 'eu-west-1' },
    });
  });

  it('refuses an IAM Identity Center sign-in without an https start URL', async () => {
    await expect(start({ method: 'idc', startUrl: 'my-company', region: 'eu-west-1' }).done).rejects.toThrow(
      /needs its start URL, like https:\/\/my-company\.awsapps\.com\/start/,
    );
  });
});
