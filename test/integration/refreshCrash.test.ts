/**
 * SIGKILL right after a rotating refresh answer loses nothing: `kiro-dock serve` with the file store is killed
 * at chosen moments after the emulator answered (at its very first write after the answer, and 1–8 ms after
 * it), restarted on the same folders each time, and must refresh with the live token every time and serve at
 * the end. A kill before the answer (the round trip: Kiro has rotated, the answer never arrives) cannot be
 * saved; the restart then tries each token it holds once and asks for a new login. bench/refreshCrashBench.ts
 * runs the same with 65 kills.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from './proxyHarness.ts';
import {
  CRASH_CLIENT_KEY,
  crashTrial,
  createCrashRig,
  serveAfterCrashes,
  type CrashRig,
  type KillPlan,
  type TrialResult,
} from './refreshCrashRig.ts';

let rig: CrashRig;
beforeAll(async () => {
  rig = await createCrashRig();
});
afterAll(async () => {
  await rig.close();
});

const PLANS: KillPlan[] = [
  { at: 'first-write' },
  { at: 'delay', delayMs: 1 },
  { at: 'first-write' },
  { at: 'delay', delayMs: 2 },
  { at: 'delay', delayMs: 3 },
  { at: 'first-write' },
  { at: 'delay', delayMs: 5 },
  { at: 'delay', delayMs: 8 },
];

interface Kill {
  plan: KillPlan;
  result: TrialResult;
  /** Judged by the next start. */
  lost?: boolean;
}

describe('a refresh answer survives SIGKILL', () => {
  it('keeps the login through kills after the answer arrived, and serves after the last one', async () => {
    const kills: Kill[] = [];
    for (const plan of PLANS) {
      const result = await crashTrial(rig, plan);
      if (kills.length > 0) kills.at(-1)!.lost = result.refresh === 'rejected';
      // A kill that came before the process had written anything may have fallen in the round trip (a slow
      // machine): that login is lost whatever the process does; sign in again and go on.
      if (result.refresh === 'rejected') {
        expect(kills.at(-1)?.result.wroteAfterAnswer).toBe(false);
        await rig.newIdeLogin();
        kills.push({ plan, result: await crashTrial(rig, plan) });
      } else kills.push({ plan, result });
    }
    const served = await serveAfterCrashes(rig);
    kills.at(-1)!.lost = false;
    const hello = { model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] };
    const answer = await postJson(`${served.url}/v1/messages`, hello, { 'x-api-key': CRASH_CLIENT_KEY });
    await served.stop();

    const written = kills.filter((kill) => kill.result.wroteAfterAnswer);
    expect(written.filter((kill) => kill.lost)).toEqual([]);
    // The kills at the first write are after the answer by definition; most timed ones are too.
    expect(written.length).toBeGreaterThanOrEqual(PLANS.length - 2);
    expect(answer.status).toBe(200);
    // Nine starts of the real process: a few seconds each on a busy machine.
  }, 120_000);

  it('cannot save a kill in the round trip, and then tries each token once before asking for a login', async () => {
    const killed = await crashTrial(rig, { at: 'before-answer' });
    expect(killed.refresh).toBe('refreshed');
    const refreshesBefore = rig.emulator.refreshCount;
    const restart = await crashTrial(rig, { at: 'first-write' });
    expect(restart.refresh).toBe('rejected');
    // The stored token and the IDE file's are the same dead one: one attempt, no hammering.
    expect(rig.emulator.refreshCount - refreshesBefore).toBe(restart.rejectedAnswers);
    expect(restart.rejectedAnswers).toBe(1);
  }, 30_000);
});
