import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiroEmulator, type KiroEmulator, type RefreshEvent } from '../emulator/kiroEmulator.ts';
import { rawRequest } from '../emulator/rawRequest.ts';

let emulator: KiroEmulator;
beforeAll(async () => {
  emulator = await startKiroEmulator({ refreshAnswerDelayMs: 100 });
});
afterAll(async () => {
  await emulator.close();
});

async function refresh(refreshToken: string) {
  const response = await rawRequest(`${emulator.url}/refreshToken`, { body: { refreshToken } });
  return { status: response.status, body: JSON.parse(response.body.toString()) as Record<string, unknown> };
}

describe('emulator refresh events', () => {
  it('kills the old token as it handles the refresh, answers after the delay, and tells both moments', async () => {
    const login = emulator.createSocialAccount();
    const events: RefreshEvent[] = [];
    const stop = emulator.onRefresh((event) => events.push(event));
    const first = refresh(login.refreshToken);
    await new Promise((resolve) => setTimeout(resolve, 30));
    // The answer is still on its way, and the token it replaces is dead already.
    expect(events.map((event) => event.phase)).toEqual(['handled']);
    expect((await refresh(login.refreshToken)).status).toBe(400);
    const answered = await first;
    stop();
    expect(answered.status).toBe(200);
    // Both answers wait out the delay: the first request's comes first.
    expect(events.map((event) => `${event.phase} ${event.status}`)).toEqual([
      'handled 200',
      'handled 400',
      'answered 200',
      'answered 400',
    ]);
    const [handled, , ok, rejected] = [events[0]!, events[1]!, events[2]!, events[3]!];
    expect(rejected.issuedRefreshToken).toBeUndefined();
    expect(ok.issuedRefreshToken).toBe(answered.body['refreshToken']);
    expect(ok.at - handled.at).toBeGreaterThanOrEqual(95);
  });
});
