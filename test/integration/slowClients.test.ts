/**
 * Clients that hold connections without finishing requests, against a real Kiro Dock on real sockets: refused
 * requests close their connection at once, headers and bodies are timed out while a long silent answer is
 * not, connections are capped with a 503 in the client's own shape, and real requests keep being served
 * through a flood of slow connections.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeClock } from '../support/fakeClock.ts';
import { adminRequest } from './adminHttp.ts';
import {
  ADMIN_TOKEN,
  CLIENT_KEY,
  parseSse,
  postJson,
  startProxyHarness,
  type HarnessOptions,
  type ProxyHarness,
} from './proxyHarness.ts';
import { openRaw, parseRawResponse, requestHead, type RawConnection } from './rawSockets.ts';

let proxy: ProxyHarness | undefined;
const connections: RawConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.socket.destroy();
  await proxy?.close();
  proxy = undefined;
});

async function start(options: HarnessOptions = {}): Promise<ProxyHarness> {
  proxy = await startProxyHarness(options);
  return proxy;
}

async function raw(firstBytes?: string): Promise<RawConnection> {
  const connection = await openRaw(proxy!.url, firstBytes);
  connections.push(connection);
  return connection;
}

const HELLO = { model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] };

/** Resolves once the server holds `count` open connections (or at most `count`); bounded. */
async function serverHolds(count: number, orFewer = false): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const open = await new Promise<number>((resolve) =>
      proxy!.server.server.getConnections((_error, value) => resolve(value)),
    );
    if (open === count || (orFewer && open < count)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the server never held ${orFewer ? 'at most ' : ''}${count} connections`);
}

describe('a refused request', () => {
  it.each([
    ['a wrong client key', '/v1/messages', { 'x-api-key': 'kd-wrong' }, 401],
    ['no client key', '/v1/chat/completions', {}, 401],
    ['a wrong admin token', '/admin/accounts', { authorization: 'Bearer kda-wrong' }, 401],
    ['a foreign Host on the admin API', '/admin/accounts', { host: 'evil.example' }, 403],
  ])(
    'closes its connection at once, with %s and its body still coming',
    async (_name, path, headers, status) => {
      await start();
      const { host, ...rest } = headers as Record<string, string>;
      let head = requestHead(proxy!.url, 'POST', path, {
        'content-type': 'application/json',
        'content-length': 100_000,
        ...rest,
      });
      if (host) head = head.replace(/^Host: .*$/m, `Host: ${host}`);
      const connection = await raw(`${head}{"model":`);
      // The body would take a minute to time out; the refusal ends the connection right after its answer.
      await connection.closed(2_000);
      const answer = parseRawResponse(connection.received());
      expect(answer.status).toBe(status);
      expect(answer.headers['connection']).toBe('close');
      expect(JSON.parse(answer.body)).toMatchObject({ error: { message: expect.any(String) } });
    },
  );
});

describe('timeouts', () => {
  const limits = { headersTimeoutMs: 300, bodyTimeoutMs: 600 };

  it('close a silent connection and one whose headers never end', async () => {
    await start({ listen: { limits } });
    const silent = await raw();
    const halfHeaders = await raw('POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(await silent.closed(2_000)).toBeGreaterThanOrEqual(250);
    await halfHeaders.closed(2_000);
  });

  it('answer a body that stops halfway with a 408 in the client shape, and close', async () => {
    await start({ listen: { limits } });
    const anthropic = await raw(
      `${requestHead(proxy!.url, 'POST', '/v1/messages', {
        'x-api-key': CLIENT_KEY,
        'content-type': 'application/json',
        'content-length': 1_000,
      })}{"model":"claude-sonnet-4-5",`,
    );
    const openai = await raw(
      `${requestHead(proxy!.url, 'POST', '/v1/chat/completions', {
        authorization: `Bearer ${CLIENT_KEY}`,
        'content-type': 'application/json',
        'content-length': 1_000,
      })}{"model":`,
    );
    expect(await anthropic.closed(3_000)).toBeGreaterThanOrEqual(550);
    await openai.closed(3_000);
    const anthropicAnswer = parseRawResponse(anthropic.received());
    expect(anthropicAnswer.status).toBe(408);
    expect(JSON.parse(anthropicAnswer.body)).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringMatching(/did not arrive within/) },
    });
    const openaiAnswer = parseRawResponse(openai.received());
    expect(openaiAnswer.status).toBe(408);
    expect(JSON.parse(openaiAnswer.body)).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringMatching(/did not arrive/) },
    });
  });

  it('run on the injected clock, not on timers of their own', async () => {
    const clock = createFakeClock();
    await start({ listen: { limits, clock } });
    const silent = await raw();
    const halfBody = await raw(
      `${requestHead(proxy!.url, 'POST', '/v1/messages', {
        'x-api-key': CLIENT_KEY,
        'content-type': 'application/json',
        'content-length': 1_000,
      })}{`,
    );
    await new Promise((resolve) => setTimeout(resolve, 2 * limits.bodyTimeoutMs));
    expect([silent.isClosed(), halfBody.isClosed()]).toEqual([false, false]);
    clock.advance(limits.headersTimeoutMs);
    await silent.closed(1_000);
    expect(halfBody.isClosed()).toBe(false);
    clock.advance(limits.bodyTimeoutMs);
    await halfBody.closed(1_000);
    expect(parseRawResponse(halfBody.received()).status).toBe(408);
  });

  it('leave alone an answer that is silent far longer than both', async () => {
    await start({ listen: { limits } });
    const slowly = (stream: boolean) =>
      postJson(`${proxy!.url}/v1/messages`, {
        ...HELLO,
        stream,
        messages: [{ role: 'user', content: 'think first [[ttfb:1500]] [[reply:done thinking]]' }],
      });
    const [streamed, whole] = await Promise.all([slowly(true), slowly(false)]);
    expect(streamed.status).toBe(200);
    expect(parseSse(streamed.text).at(-1)?.event).toBe('message_stop');
    expect(whole.status).toBe(200);
    expect(whole.text).toContain('done thinking');
  });
});

describe('the connection cap', () => {
  const limits = { maxConnections: 10, overflowConnections: 2 };

  it('gives the place of the connection idle the longest to a newcomer, so idle ones lock nobody out', async () => {
    await start({ listen: { limits } });
    // Silent, half a request's headers, and kept alive after a whole request was answered.
    const kinds = [undefined, 'GET /health HTTP/1.1\r\n', requestHead(proxy!.url, 'GET', '/health', {})];
    const silent: RawConnection[] = [];
    for (let i = 0; i < 30; i++) silent.push(await raw(kinds[i % 3]));
    await serverHolds(limits.maxConnections, true);
    expect((await postJson(`${proxy!.url}/v1/messages`, HELLO)).status).toBe(200);
    expect((await adminRequest(proxy!.url, 'GET', '/admin/accounts')).status).toBe(200);
    // Twenty of them made room for the newer ones, the newest is still open.
    expect(silent.filter((connection) => connection.isClosed()).length).toBeGreaterThanOrEqual(20);
    expect(silent.at(-1)!.isClosed()).toBe(false);
  });

  it('answers 503 in the client shape when every connection is busy, a bare 503 beyond, and recovers', async () => {
    await start({ listen: { limits } });
    const slowBody = requestHead(proxy!.url, 'POST', '/v1/messages', {
      'x-api-key': CLIENT_KEY,
      'content-type': 'application/json',
      'content-length': 1_000,
    });
    for (let i = 0; i < limits.maxConnections; i++) await raw(`${slowBody}{`);
    await serverHolds(limits.maxConnections);
    // Once their headers are read they are busy, no longer idle connections to give up.
    for (let attempt = 0; attempt < 200 && proxy!.core.stats.inFlight < limits.maxConnections; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(proxy!.core.stats.inFlight).toBe(limits.maxConnections);

    const anthropic = await raw(
      requestHead(proxy!.url, 'GET', '/v1/models', {
        'x-api-key': CLIENT_KEY,
        'anthropic-version': '2023-06-01',
      }),
    );
    await anthropic.closed(2_000);
    const anthropicAnswer = parseRawResponse(anthropic.received());
    expect(anthropicAnswer.status).toBe(503);
    expect(anthropicAnswer.headers['retry-after']).toBe('5');
    expect(JSON.parse(anthropicAnswer.body)).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: expect.stringMatching(/too many requests in flight/) },
    });
    const openai = await postJson(
      `${proxy!.url}/v1/chat/completions`,
      {},
      { authorization: `Bearer ${CLIENT_KEY}` },
    );
    expect(openai.status).toBe(503);
    expect(openai.json()).toMatchObject({ error: { type: 'server_error', message: /too many/ } });
    const admin = await adminRequest(proxy!.url, 'GET', '/admin/accounts');
    expect([admin.status, admin.json()]).toEqual([
      503,
      { error: { message: expect.stringMatching(/too many/) } },
    ]);

    // Two silent ones fill the overflow (they only wait for their 503); the next is refused before any read.
    await raw();
    await raw();
    await serverHolds(limits.maxConnections + limits.overflowConnections);
    const refused = await raw();
    await refused.closed(2_000);
    const bare = parseRawResponse(refused.received());
    expect(bare.status).toBe(503);
    expect(bare.headers['retry-after']).toBe('5');
    expect(JSON.parse(bare.body)).toMatchObject({ error: { type: 'overloaded_error' } });

    for (const connection of connections.splice(0)) connection.socket.destroy();
    await serverHolds(0);
    expect((await postJson(`${proxy!.url}/v1/messages`, HELLO)).status).toBe(200);
  });
});

describe('a flood of slow clients', () => {
  it('keeps serving real requests while 300 slow connections are held, then sheds them all', async () => {
    const limits = { headersTimeoutMs: 3_000, bodyTimeoutMs: 3_000 };
    await start({ listen: { limits } });
    const flood: RawConnection[] = [];
    const slowBody = requestHead(proxy!.url, 'POST', '/v1/messages', {
      'x-api-key': CLIENT_KEY,
      'content-type': 'application/json',
      'content-length': 1_000_000,
    });
    // A third send nothing, a third headers that never end, a third a body that never ends.
    const firstBytes = [
      undefined,
      'POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ',
      `${slowBody}{`,
    ];
    for (let i = 0; i < 300; i++) flood.push(await raw(firstBytes[i % 3]));
    // Every 100 ms the talking ones send one more byte: never enough to finish, always enough to look alive.
    const dribble = setInterval(() => {
      flood.forEach((connection, i) => {
        if (i % 3 !== 0 && !connection.isClosed()) connection.socket.write(i % 3 === 1 ? 'a' : ' ');
      });
    }, 100);
    try {
      const latencies = await serveWhileFlooded(1_500);
      expect(latencies.length).toBeGreaterThanOrEqual(10);
      expect(Math.max(...latencies), `latencies ${latencies.join(', ')}`).toBeLessThan(1_000);
      expect(flood.filter((connection) => connection.isClosed())).toHaveLength(0);
      // The timeouts shed the whole flood, however alive it looks.
      await Promise.all(flood.map((connection) => connection.closed(6_000)));
    } finally {
      clearInterval(dribble);
    }
    const bodies = flood.filter((_connection, i) => i % 3 === 2).map((c) => parseRawResponse(c.received()));
    expect(new Set(bodies.map((answer) => answer.status))).toEqual(new Set([408]));
    // What is left are the real clients' kept-alive connections.
    await serverHolds(2, true);
  }, 20_000);
});

/** Real requests one after another for `forMs`; their latencies in ms, each of them a 200. */
async function serveWhileFlooded(forMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + forMs;
  while (performance.now() < until && latencies.length < 500) {
    const started = performance.now();
    const answer =
      latencies.length % 2 === 0
        ? await postJson(`${proxy!.url}/v1/messages`, HELLO)
        : await adminRequest(proxy!.url, 'GET', '/admin/accounts', { token: ADMIN_TOKEN });
    expect(answer.status).toBe(200);
    latencies.push(performance.now() - started);
  }
  return latencies;
}
