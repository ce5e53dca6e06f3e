/**
 * The dashboard's requests log against a real Kiro Dock and the emulator: what each finished request records,
 * prompts only while capture is on, and the `request` events of the live stream.
 */
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import type { RecentRequestsResponse, RequestLogEntry } from '../../shared/adminApi.ts';
import { SETTING_CAPTURE_PROMPTS } from '../../electron/core/index.ts';
import { createMemorySettingsStore } from '../../electron/core/settings/memorySettingsStore.ts';
import { AdminEventStream, adminRequest, adminTestScope } from './adminHttp.ts';
import { CLIENT_KEY, postJson, startProxyHarness } from './proxyHarness.ts';

const scope = adminTestScope();

interface KiroBody {
  conversationState: { currentMessage: { userInputMessage: { modelId: string } } };
}

async function recent(query = ''): Promise<RecentRequestsResponse> {
  const answer = await adminRequest(scope.proxy!.url, 'GET', `/admin/requests${query}`);
  expect(answer.status).toBe(200);
  return answer.json<RecentRequestsResponse>();
}

function chat(content: string) {
  return postJson(`${scope.proxy!.url}/v1/chat/completions`, {
    model: 'claude-sonnet-4-5',
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content },
    ],
  });
}

describe('requests log', () => {
  it('records a streamed SDK request with its account, timings, tokens and cache outcome, and no prompt', async () => {
    scope.proxy = await startProxyHarness();
    const client = new Anthropic({ baseURL: scope.proxy.url, apiKey: CLIENT_KEY, maxRetries: 0 });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'secret plans [[reply:done]] [[cache-read:4]] [[cache-write:2]]' }],
    });
    await stream.finalMessage();
    const requestId = (await stream.withResponse()).response.headers.get('request-id');

    const { requests, capturePrompts } = await recent();
    expect(capturePrompts).toBe(false);
    expect(requests).toHaveLength(1);
    const [entry] = requests as [RequestLogEntry];
    const ideAccount = scope.proxy.core.repository.list()[0]!;
    expect(entry).toMatchObject({
      id: requestId,
      route: '/v1/messages',
      model: 'claude-sonnet-4-5',
      accountId: ideAccount.id,
      accountLabel: ideAccount.label,
      status: 200,
      stream: true,
      cacheReadInputTokens: 4,
      cacheCreationInputTokens: 2,
    });
    expect(entry).not.toHaveProperty('responseCache'); // the harness runs without the response cache
    expect(entry.outputTokens).toBeGreaterThan(0);
    expect(entry.inputTokens).toBeGreaterThan(0);
    expect(entry.ttftMs).toBeGreaterThanOrEqual(0);
    expect(entry.durationMs).toBeGreaterThanOrEqual(entry.ttftMs!);
    expect(Math.abs(entry.at - Date.now())).toBeLessThan(10_000);
    expect(entry).not.toHaveProperty('prompt');
    expect(entry).not.toHaveProperty('error');
    expect(JSON.stringify(requests)).not.toContain('secret plans');
  });

  it('records the Kiro model, and an attempt that failed with 500 before another account answered', async () => {
    scope.proxy = await startProxyHarness({ manualAccounts: 1 });
    scope.proxy.emulator.setFault({ kind: '500', times: 1 });
    const answer = await chat('hello [[reply:after a retry]]');
    expect(answer.status).toBe(200);

    const calls = scope.proxy.emulator.requests.filter(
      (entry) => entry.operation === 'generateAssistantResponse',
    );
    expect(calls.map((call) => call.status)).toEqual([500, 200]);
    const sentAs = (calls[1]!.body as KiroBody).conversationState.currentMessage.userInputMessage.modelId;
    const accounts = scope.proxy.core.repository.list();
    const [entry] = (await recent()).requests as [RequestLogEntry];
    expect(entry.status).toBe(200);
    expect(entry.kiroModel).toBe(sentAs);
    expect(entry.attempts).toBe(2);
    expect(entry.failedAttempts).toHaveLength(1);
    const [failed] = entry.failedAttempts!;
    expect(failed).toMatchObject({ kind: 'server_error', status: 500 });
    expect(failed!.accountLabel).toBe(accounts.find((account) => account.id === failed!.accountId)?.label);
  });

  it('records failures with a sentence, newest first, and honours limit', async () => {
    scope.proxy = await startProxyHarness();
    expect((await chat('first [[reply:one]]')).status).toBe(200);
    expect((await chat('second [[fault:400-too-long]]')).status).toBe(400);
    const rejected = await postJson(`${scope.proxy.url}/v1/messages`, { model: 'claude-sonnet-4-5' });
    expect(rejected.status).toBe(400);

    const { requests } = await recent();
    expect(requests.map((entry) => [entry.route, entry.status])).toEqual([
      ['/v1/messages', 400],
      ['/v1/chat/completions', 400],
      ['/v1/chat/completions', 200],
    ]);
    expect(requests[0]).not.toHaveProperty('accountId');
    expect(requests[0]!.error).toMatch(/messages/);
    expect(requests[1]!.error).toEqual(expect.any(String));
    expect(requests[1]!.stream).toBe(false);
    expect((await recent('?limit=2')).requests.map((entry) => entry.status)).toEqual([400, 400]);
    expect((await adminRequest(scope.proxy.url, 'GET', '/admin/requests?limit=0')).status).toBe(400);
    expect((await adminRequest(scope.proxy.url, 'GET', '/admin/requests?limit=1001')).status).toBe(400);
  });

  it('tells a response-cache hit from a miss', async () => {
    // Sampled requests (no temperature given) are cached only with the opt-in.
    scope.proxy = await startProxyHarness({
      responseCache: { enabled: true, includeToolsAndSampling: true },
    });
    expect((await chat('same [[reply:same]]')).status).toBe(200);
    expect((await chat('same [[reply:same]]')).status).toBe(200);
    expect((await recent()).requests.map((entry) => entry.responseCache)).toEqual(['hit', 'miss']);
  });

  it('keeps the last user message, cut to 2 000 characters, while capturePrompts is on', async () => {
    scope.proxy = await startProxyHarness({
      settings: createMemorySettingsStore({ [SETTING_CAPTURE_PROMPTS]: true }),
    });
    const long = `${'x'.repeat(2_500)} [[reply:ok]]`;
    expect((await chat('short question [[reply:ok]]')).status).toBe(200);
    expect((await chat(long)).status).toBe(200);

    const { requests, capturePrompts } = await recent();
    expect(capturePrompts).toBe(true);
    expect(requests[1]!.prompt).toBe('short question [[reply:ok]]');
    expect(requests[0]!.prompt).toBe('x'.repeat(2_000));

    const patched = await adminRequest(scope.proxy.url, 'PATCH', '/admin/settings', {
      body: { capturePrompts: false },
    });
    expect(patched.status).toBe(200);
    expect((await chat('not kept [[reply:ok]]')).status).toBe(200);
    expect((await recent('?limit=1')).requests[0]).not.toHaveProperty('prompt');
  });

  it('sends the finished requests on the admin event stream in one batch per interval, newest first', async () => {
    scope.proxy = await startProxyHarness();
    scope.events = await AdminEventStream.open(scope.proxy.url);
    const first = await chat('live [[reply:hello]]');
    const second = await chat('live again [[reply:hello]]');
    const event = await scope.events.next('requests');
    expect(event.requests.map((entry) => entry.id)).toEqual([
      second.headers.get('request-id'),
      first.headers.get('request-id'),
    ]);
    expect(event.requests[1]).toMatchObject({ route: '/v1/chat/completions', status: 200 });
    expect(event.requests).toEqual((await recent('?limit=2')).requests);
  });
});
