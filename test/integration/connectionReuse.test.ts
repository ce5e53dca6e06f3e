import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY, postJson, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness;

beforeAll(async () => {
  proxy = await startProxyHarness({ responseCache: { enabled: true } });
});
afterAll(async () => {
  await proxy.close();
});

function ask(content: string, stream: boolean) {
  return postJson(`${proxy.url}/v1/messages`, {
    model: 'claude-sonnet-4-5',
    max_tokens: 256,
    stream,
    messages: [{ role: 'user', content }],
  });
}

describe('connections to Kiro', () => {
  it('reuses kept-alive connections for 50 sequential requests', async () => {
    await ask('warm up', false);
    const before = proxy.emulator.connectionCount;
    for (let i = 0; i < 50; i++) {
      // Distinct questions, so every request goes upstream (none is a cache hit).
      const answer = await ask(`question ${i} [[reply:answer ${i}]]`, i % 2 === 0);
      expect(answer.status).toBe(200);
    }
    const upstream = proxy.emulator.requests.filter(
      (entry) => entry.operation === 'generateAssistantResponse',
    );
    expect(upstream.length).toBeGreaterThanOrEqual(51);
    expect(proxy.emulator.connectionCount - before).toBeLessThanOrEqual(2);
  });
});

describe('/v1/models', () => {
  async function models(harness: ProxyHarness): Promise<string[]> {
    const response = await fetch(`${harness.url}/v1/models`, { headers: { 'x-api-key': CLIENT_KEY } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { object: string; data: Array<{ id: string; type: string }> };
    expect(body.object).toBe('list');
    return body.data.map((model) => model.id);
  }
  const listCalls = (harness: ProxyHarness) =>
    harness.emulator.requests.filter((entry) => entry.operation === 'listAvailableModels').length;

  it("lists Kiro's catalogue in Anthropic form and asks Kiro once for many reads", async () => {
    const first = await models(proxy);
    const second = await models(proxy);
    expect(first).toContain('claude-sonnet-4-5');
    expect(first).toContain('qwen3-coder-next');
    expect(first).not.toContain('claude-sonnet-4.5');
    expect(second).toEqual(first);
    // Once in all: the chat requests before this test read the same catalogue (for the models' input limits).
    expect(listCalls(proxy)).toBe(1);
    expect(
      proxy.emulator.requests.filter((entry) => entry.operation === 'listAvailableModels').at(-1)?.query,
    ).toContain('origin=AI_EDITOR');
  });

  it('falls back to the built-in list without an account', async () => {
    const harness = await startProxyHarness({ noAccount: true });
    try {
      const ids = await models(harness);
      expect(ids).toContain('claude-opus-4-5');
      expect(listCalls(harness)).toBe(0);
    } finally {
      await harness.close();
    }
  });
});
