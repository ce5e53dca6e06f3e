/**
 * Requests refused for their client key: what the client is told (in its own API's shape, not to be retried),
 * and what the user can see afterwards — a log line and a requests-log entry per kind and second, and counts in
 * `GET /admin/requests` — none of them holding the key that was sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RecentRequestsResponse } from '../../shared/adminApi.ts';
import { createLogger } from '../../electron/core/logging/createLogger.ts';
import { createFakeClock } from '../support/fakeClock.ts';
import { adminRequest } from './adminHttp.ts';
import { CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

const WRONG_KEY = 'kd-an-old-key-from-last-week-0123456789';
let proxy: ProxyHarness | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

function logCapture() {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

async function send(url: string, headers: Record<string, string>) {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  return {
    status: response.status,
    retry: response.headers.get('x-should-retry'),
    body: await response.json(),
  };
}

async function requestsLog(url: string): Promise<RecentRequestsResponse> {
  return (await adminRequest(url, 'GET', '/admin/requests')).json<RecentRequestsResponse>();
}

describe('requests with a wrong or missing client key', () => {
  it('are refused as not to be retried, and recorded without the key', async () => {
    const { logger, lines } = logCapture();
    proxy = await startProxyHarness({ logger });
    const refused = await send(proxy.url, { 'x-api-key': WRONG_KEY });
    expect(refused).toMatchObject({
      status: 401,
      retry: 'false',
      body: { error: { type: 'authentication_error' } },
    });
    expect((await send(proxy.url, {})).status).toBe(401);
    expect((await send(proxy.url, { 'x-api-key': CLIENT_KEY })).status).toBe(200);

    const log = await requestsLog(proxy.url);
    expect(log.refusedClientKeys).toMatchObject({ unknown: 1, missing: 1, lastAt: expect.any(Number) });
    expect(log.requests.map((entry) => [entry.status, entry.clientKey])).toEqual([
      [200, undefined],
      [401, 'missing'],
      [401, 'unknown'],
    ]);
    expect(log.requests[2]).toMatchObject({
      route: '/v1/messages',
      error: expect.stringMatching(/Invalid or revoked client key/),
    });
    const refusedLines = lines.filter((line) => line.includes('request refused'));
    expect(refusedLines).toEqual([
      expect.stringContaining('unknown client key'),
      expect.stringContaining('no client key'),
    ]);
    expect(JSON.stringify(log) + lines.join('')).not.toContain(WRONG_KEY);
  });

  it('a client retrying in a loop is counted in full, but logged once a second', async () => {
    const clock = createFakeClock();
    const { logger, lines } = logCapture();
    proxy = await startProxyHarness({ logger, clock });
    for (let i = 0; i < 5; i++) await send(proxy.url, { authorization: `Bearer ${WRONG_KEY}` });
    clock.advance(1_000);
    await send(proxy.url, { authorization: `Bearer ${WRONG_KEY}` });

    const log = await requestsLog(proxy.url);
    expect(log.refusedClientKeys).toMatchObject({ unknown: 6, missing: 0 });
    expect(log.requests.filter((entry) => entry.clientKey === 'unknown')).toHaveLength(2);
    const refusedLines = lines.filter((line) => line.includes('unknown client key'));
    expect(refusedLines).toHaveLength(2);
    expect(JSON.parse(refusedLines[1]!)).toMatchObject({ skipped: 4 });
  });
});
