/**
 * What careless clients send, against a real Kiro Dock: bodies whose Content-Encoding lies, nesting thousands of
 * levels deep, limits beyond any model, a tool_choice naming no declared tool, and requests abandoned halfway.
 * Each is the client's 4xx in the route's own shape (or, for a client that left, no error at all), never a 500.
 */
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { adminRequest } from './adminHttp.ts';
import { expectErrorShape } from './errorShapes.ts';
import { ADMIN_TOKEN, CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';
import { openRaw, requestHead } from './rawSockets.ts';

let proxy: ProxyHarness | undefined;
let logLines: Array<{ level: number; msg?: string }> = [];
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  logLines = [];
});

async function start(): Promise<ProxyHarness> {
  const logger = pino({ level: 'debug' }, { write: (line: string) => logLines.push(JSON.parse(line)) });
  proxy = await startProxyHarness({ logger });
  return proxy;
}

const ROUTES = {
  anthropic: { path: '/v1/messages', auth: { 'x-api-key': CLIENT_KEY } },
  openai: { path: '/v1/chat/completions', auth: { authorization: `Bearer ${CLIENT_KEY}` } },
} as const;
type Dialect = keyof typeof ROUTES;

const MESSAGES = [{ role: 'user', content: 'hi' }];

async function post(
  dialect: Dialect,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<{ status: number; message: string; body: unknown }> {
  const route = ROUTES[dialect];
  const response = await fetch(`${proxy!.url}${route.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...route.auth, ...headers },
    body,
  });
  const json = (await response.json()) as { error?: { message?: string } };
  if (response.status >= 400) expectErrorShape(dialect, json);
  return { status: response.status, message: json.error?.message ?? '', body: json };
}

const errorLines = () => logLines.filter((line) => line.level >= 50);

describe.each(['anthropic', 'openai'] as const)('on the %s route', (dialect) => {
  const hello = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 32, messages: MESSAGES });

  it('a Content-Encoding the body does not match is a 400 saying so; a real gzip body works', async () => {
    await start();
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const answer = await post(dialect, hello, { 'content-encoding': encoding });
      expect(answer.status, encoding).toBe(400);
      expect(answer.message).toMatch(new RegExp(`not valid ${encoding} data.*uncompressed`));
    }
    const unknown = await post(dialect, hello, { 'content-encoding': 'snappy' });
    expect([unknown.status, unknown.message]).toEqual([415, expect.stringMatching(/snappy.*uncompressed/)]);
    expect((await post(dialect, gzipSync(hello), { 'content-encoding': 'gzip' })).status).toBe(200);
    expect(errorLines()).toEqual([]);
  });

  it('a tool schema nested 2 000 levels is a 400, and so is one nested past the schema limit', async () => {
    await start();
    const nested = (levels: number) =>
      JSON.parse(`${'{"type":"object","properties":{"a":'.repeat(levels)}{}${'}}'.repeat(levels)}`) as object;
    const withSchema = (schema: object) =>
      JSON.stringify(
        dialect === 'anthropic'
          ? {
              model: 'claude-sonnet-4-5',
              messages: MESSAGES,
              tools: [{ name: 'deep', input_schema: schema }],
            }
          : {
              model: 'claude-sonnet-4-5',
              messages: MESSAGES,
              tools: [{ type: 'function', function: { name: 'deep', parameters: schema } }],
            },
      );
    const hopeless = await post(dialect, withSchema(nested(1_000)));
    expect([hopeless.status, hopeless.message]).toEqual([
      400,
      expect.stringMatching(/nests more than 128 levels/),
    ]);
    const tooDeep = await post(dialect, withSchema(nested(40)));
    expect([tooDeep.status, tooDeep.message]).toEqual([
      400,
      expect.stringMatching(/schema of tool "deep" nests more than 64 levels/),
    ]);
    expect((await post(dialect, withSchema(nested(10)))).status).toBe(200);
    expect(errorLines()).toEqual([]);
  });

  it('max_tokens beyond any model and a tool_choice naming no declared tool are 400s', async () => {
    await start();
    const base = { model: 'claude-sonnet-4-5', messages: MESSAGES };
    const huge = await post(dialect, JSON.stringify({ ...base, max_tokens: 1e10 }));
    expect([huge.status, huge.message]).toEqual([400, expect.stringMatching(/max_tokens: .*at most 128000/)]);
    const choice =
      dialect === 'anthropic'
        ? { tools: [{ name: 'known', input_schema: {} }], tool_choice: { type: 'tool', name: 'unknown' } }
        : {
            tools: [{ type: 'function', function: { name: 'known' } }],
            tool_choice: { type: 'function', function: { name: 'unknown' } },
          };
    const unknown = await post(dialect, JSON.stringify({ ...base, ...choice }));
    expect([unknown.status, unknown.message]).toEqual([
      400,
      expect.stringMatching(/tool_choice: names the \w+ "unknown", which is not in tools \(known\)/),
    ]);
  });
});

describe('Anthropic-only limits', () => {
  it('a negative or tiny thinking budget is a 400, a real one works', async () => {
    await start();
    const withBudget = (budget_tokens: number) =>
      JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 4096,
        messages: MESSAGES,
        thinking: { type: 'enabled', budget_tokens },
      });
    for (const budget of [-5, 0, 1023]) {
      const answer = await post('anthropic', withBudget(budget));
      expect([answer.status, answer.message]).toEqual([400, expect.stringMatching(/budget_tokens: .*1024/)]);
    }
    expect((await post('anthropic', withBudget(2048))).status).toBe(200);
    const huge = await post(
      'openai',
      JSON.stringify({ model: 'x', messages: MESSAGES, max_completion_tokens: 2e9 }),
    );
    expect(huge.status).toBe(400);
  });
});

describe('admin bodies', () => {
  it('over the limit are a 413 naming it, nested too deep a 400', async () => {
    await start();
    const big = await adminRequest(proxy!.url, 'POST', '/admin/session', {
      token: null,
      body: { code: 'x'.repeat(5_000) },
    });
    expect([big.status, big.json()]).toEqual([
      413,
      { error: { message: 'The request body is larger than 4 KB.' } },
    ]);
    const deep = await adminRequest(proxy!.url, 'PATCH', '/admin/settings', {
      body: JSON.parse(`${'{"a":'.repeat(17)}1${'}'.repeat(17)}`),
    });
    expect(deep.status).toBe(400);
    expect(deep.json<{ error: { message: string } }>().error.message).toMatch(/nests more than 16 levels/);
  });
});

describe('clients that go away', () => {
  it('abandoned admin and API requests are no error and are logged at debug at most', async () => {
    await start();
    const targets: Array<[string, string, Record<string, string>]> = [
      ['POST', '/admin/accounts', { authorization: `Bearer ${ADMIN_TOKEN}` }],
      ['PATCH', '/admin/settings', { authorization: `Bearer ${ADMIN_TOKEN}` }],
      ['POST', '/admin/session', {}],
      ['POST', '/v1/messages', { 'x-api-key': CLIENT_KEY }],
    ];
    for (let round = 0; round < 10; round++) {
      for (const [method, path, headers] of targets) {
        const head = requestHead(proxy!.url, method, path, {
          ...headers,
          'content-type': 'application/json',
          'content-length': 500,
        });
        const connection = await openRaw(proxy!.url, `${head}{"label":`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        connection.socket.destroy();
      }
    }
    // Every abandoned body has been noticed once the server holds no connection.
    for (let attempt = 0; attempt < 200; attempt++) {
      const open = await new Promise<number>((resolve) =>
        proxy!.server.server.getConnections((_error, value) => resolve(value)),
      );
      if (open === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logLines.filter((line) => line.level >= 40)).toEqual([]);
    expect(logLines.filter((line) => /ended early/.test(line.msg ?? '')).length).toBeGreaterThanOrEqual(30);
  });
});
