/** Per-phase timeouts, set in the settings: each names its phase, none cuts an answer that keeps streaming. */
import { afterEach, describe, expect, it } from 'vitest';
import { SETTING_TIMEOUTS } from '../../electron/core/index.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { parseSse, postJson, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

function start(timeouts: Record<string, number>) {
  return startProxyHarness({ settings: createMemorySettingsStore({ [SETTING_TIMEOUTS]: timeouts }) });
}

function ask(content: string, stream = false) {
  return postJson(`${proxy!.url}/v1/messages`, {
    model: 'claude-sonnet-4-5',
    max_tokens: 64,
    stream,
    messages: [{ role: 'user', content }],
  });
}

describe('per-phase timeouts', () => {
  it('a response that never starts times out in the first-event phase, after the retries', async () => {
    proxy = await start({ firstEventMs: 300 });
    const result = await ask('[[fault:slow-headers]] [[ttfb:2000]]');
    expect(result.status).toBe(504);
    expect(result.json()).toMatchObject({
      type: 'error',
      error: { message: expect.stringMatching(/first-event timeout/) },
    });
  });

  it('a stream that goes silent is ended with an error event naming the idle phase', async () => {
    proxy = await start({ idleMs: 300 });
    const result = await ask('[[chunks:3]] [[delay:1500]]', true);
    const last = parseSse(result.text).at(-1);
    expect(last).toMatchObject({
      event: 'error',
      data: { error: { message: expect.stringMatching(/idle timeout/) } },
    });
  });

  it('a long answer that keeps streaming is never cut', async () => {
    proxy = await start({ firstEventMs: 1_000, idleMs: 300 });
    const result = await ask('[[chunks:40]] [[delay:50]]', true); // 2 s in all, never 300 ms silent
    expect(parseSse(result.text).at(-1)?.event).toBe('message_stop');
  });
});
