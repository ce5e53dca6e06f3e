/**
 * `core.runPrompt`, the core's entry point for prompts that do not come over HTTP: the same pool and Kiro path,
 * and the same log, metrics and requests log as the API routes, under its source's name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PromptError } from '../../electron/core/index.ts';
import type { RecentRequestsResponse } from '../../shared/adminApi.ts';
import { ADMIN_TOKEN, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function adminGet(path: string): Promise<string> {
  const response = await fetch(`${proxy!.url}${path}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return response.text();
}

describe('core.runPrompt', () => {
  it('streams text to onText and shows in the requests log and metrics with source daemon', async () => {
    proxy = await startProxyHarness();
    const pieces: string[] = [];
    const answer = await proxy.core.runPrompt(
      {
        model: 'claude-sonnet-4-5',
        messages: [{ role: 'user', content: '[[chunks:4]] [[delay:20]] [[reply:streamed to the host]]' }],
        stream: true,
        source: 'daemon',
      },
      { onText: (text) => void pieces.push(text) },
    );
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('streamed to the host');
    expect(answer).toMatchObject({ text: 'streamed to the host', stopReason: 'end_turn' });
    const log = JSON.parse(await adminGet('/admin/requests')) as RecentRequestsResponse;
    expect(log.requests[0]).toMatchObject({
      id: answer.id,
      route: 'daemon',
      source: 'daemon',
      status: 200,
      stream: true,
      model: 'claude-sonnet-4-5',
      accountLabel: expect.any(String),
    });
    expect(await adminGet('/metrics')).toMatch(/requests_total\{route="daemon",[^}]*status="200"\} 1/);
  });

  it('rejects with a PromptError in the API’s words, and records the failure', async () => {
    proxy = await startProxyHarness({ noAccount: true });
    const failure = await proxy.core
      .runPrompt({
        model: 'claude-sonnet-4-5',
        messages: [{ role: 'user', content: 'hi' }],
        source: 'daemon',
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PromptError);
    expect(failure).toMatchObject({ type: 'api_error', status: 503 });
    expect((failure as Error).message).toMatch(/No Kiro account is configured/);

    const invalid = await proxy.core
      .runPrompt({
        model: 'claude-sonnet-4-5',
        messages: [{ role: 'robot', content: 'hi' }],
        source: 'daemon',
      })
      .catch((error: unknown) => error);
    expect(invalid).toMatchObject({ type: 'invalid_request_error', status: 400 });
    expect((invalid as Error).message).toMatch(/messages\.0\.role/);
    const log = JSON.parse(await adminGet('/admin/requests')) as RecentRequestsResponse;
    expect(log.requests.map((entry) => [entry.source, entry.status])).toEqual([
      ['daemon', 400],
      ['daemon', 503],
    ]);
  });
});
