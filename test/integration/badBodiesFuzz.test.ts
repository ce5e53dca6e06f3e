/**
 * Generated bad bodies against every route that reads one, through a real Kiro Dock: wrong types, deep
 * nesting, huge numbers, lying encodings, truncated JSON and wrong content types. Each case is built to be
 * invalid, so each must be a 4xx in the route's own error shape: never a 5xx, never a crash. The generator is
 * seeded, so a failure names the seed and case that reproduce it.
 */
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorShape, type ErrorDialect } from './errorShapes.ts';
import { ADMIN_TOKEN, CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

const SEED = 0x5eed_2026;
const CASES_PER_ROUTE = 80;

interface Route {
  name: string;
  method: 'POST' | 'PATCH';
  path: string;
  dialect: ErrorDialect;
  auth: Record<string, string>;
  /** A valid body: every case breaks it. */
  base: Record<string, unknown>;
  /** Per field, values its schema refuses. */
  invalid: Record<string, unknown[]>;
  /** Raw JSON text for numbers JSON.stringify cannot write (1e400 is Infinity once parsed). */
  numericFields: string[];
  maxDepth: number;
}

const MESSAGES = [{ role: 'user', content: 'hi' }];
const anthropicInvalid: Record<string, unknown[]> = {
  model: [123, null, [], {}, true, ''],
  messages: ['hi', 5, [], [{}], [{ role: 'robot', content: 'x' }], [{ role: 'user', content: 5 }], null],
  max_tokens: [-1, 0, 1.5, '10', 1e10, Number.MAX_SAFE_INTEGER, null],
  stream: ['yes', 1, {}],
  tools: ['x', [{}], [{ name: '' }], [{ name: 'a', input_schema: 'x' }], { name: 'a' }],
  tool_choice: ['auto', 5, { type: 'tool', name: 'nope' }, { type: 'tool' }, { name: 'x' }],
  temperature: ['hot', [], null, {}],
  thinking: [
    { type: 'sometimes' },
    { type: 'enabled', budget_tokens: -1 },
    'on',
    { type: 'enabled', budget_tokens: 'lots' },
  ],
  system: [5, [{ type: 5 }], [5], {}],
  metadata: ['x', 5, { user_id: 5 }],
  stop_sequences: ['x', [1], {}],
};

const ROUTES: Route[] = [
  {
    name: 'messages',
    method: 'POST',
    path: '/v1/messages',
    dialect: 'anthropic',
    auth: { 'x-api-key': CLIENT_KEY },
    base: { model: 'claude-sonnet-4-5', max_tokens: 16, messages: MESSAGES },
    invalid: anthropicInvalid,
    numericFields: ['max_tokens', 'temperature'],
    maxDepth: 128,
  },
  {
    name: 'count_tokens',
    method: 'POST',
    path: '/v1/messages/count_tokens',
    dialect: 'anthropic',
    auth: { 'x-api-key': CLIENT_KEY },
    base: { model: 'claude-sonnet-4-5', messages: MESSAGES },
    invalid: anthropicInvalid,
    numericFields: ['max_tokens', 'top_k'],
    maxDepth: 128,
  },
  {
    name: 'chat/completions',
    method: 'POST',
    path: '/v1/chat/completions',
    dialect: 'openai',
    auth: { authorization: `Bearer ${CLIENT_KEY}` },
    base: { model: 'claude-sonnet-4-5', max_tokens: 16, messages: MESSAGES },
    invalid: {
      model: [1, null, '', []],
      messages: ['hi', [], [{ role: 'robot', content: 'x' }], [{ role: 'user', content: 5 }], [{}]],
      max_tokens: [-1, 0, 1e10, 'a', 2.5],
      max_completion_tokens: [-5, 1e12, '9'],
      tools: ['x', [{ type: 5 }], [{ type: 'function', function: { name: '' } }]],
      tool_choice: [5, 'sometimes', { type: 'function', function: { name: 'nope' } }, []],
      temperature: ['x', []],
      stop: [5, [1], {}],
      stream: ['y', 2],
      user: [5, {}],
    },
    numericFields: ['max_tokens', 'temperature'],
    maxDepth: 128,
  },
  {
    name: 'admin settings',
    method: 'PATCH',
    path: '/admin/settings',
    dialect: 'admin',
    auth: { authorization: `Bearer ${ADMIN_TOKEN}` },
    base: { capturePrompts: false },
    invalid: {
      listen: [5, { port: 'x' }, { port: 70_000 }, { port: -1 }, { host: 5 }, { extra: 1 }],
      poolStrategy: [5, 'whatever', null],
      timeouts: [{ connectMs: -1 }, { idleMs: 'long' }, { firstEventMs: 1e15 }, 'fast'],
      logLevel: ['loud', 3],
      ideWriteBack: ['yes', 1],
      metricsPublic: [null, 'true'],
      capturePrompts: ['no', 0],
      unknownSetting: [1, 'x', {}],
    },
    numericFields: [],
    maxDepth: 16,
  },
  {
    name: 'admin accounts',
    method: 'POST',
    path: '/admin/accounts',
    dialect: 'admin',
    auth: { authorization: `Bearer ${ADMIN_TOKEN}` },
    base: { kind: 'social', refreshToken: 'aor-fuzz' },
    invalid: {
      kind: ['robot', 5, null, []],
      refreshToken: [5, '', null, {}],
      label: ['', 'x'.repeat(101), 5, []],
      extra: [1, 'x'],
    },
    numericFields: [],
    maxDepth: 16,
  },
  {
    name: 'admin session',
    method: 'POST',
    path: '/admin/session',
    dialect: 'admin',
    auth: {},
    base: { code: 'kept-valid-only-as-a-shape' },
    invalid: { code: [5, null, '', '   ', 'x'.repeat(600), [], {}], extra: [1] },
    numericFields: [],
    maxDepth: 4,
  },
];

/** mulberry32: small, seeded, good enough to pick cases. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface BadCase {
  kind: string;
  body: Uint8Array;
  headers: Record<string, string>;
}

type Generator = (route: Route, random: () => number) => BadCase;

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const bytes = (text: string) => new TextEncoder().encode(text);
const JSON_TYPE = { 'content-type': 'application/json' };

/** The base with one to three fields replaced by values their schema refuses. */
function brokenBody(route: Route, random: () => number): Record<string, unknown> {
  const body = structuredClone(route.base);
  const fields = Object.keys(route.invalid);
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const field = pick(random, fields);
    body[field] = structuredClone(pick(random, route.invalid[field]!));
  }
  return body;
}

/** JSON text nested `depth` levels, written directly: building it as an object would need a recursive stringify. */
function nestedText(depth: number, random: () => number): string {
  const opening: string[] = [];
  const closing: string[] = [];
  for (let level = 0; level < depth; level++) {
    const array = random() < 0.5;
    opening.push(array ? '[' : '{"a":');
    closing.push(array ? ']' : '}');
  }
  return `${opening.join('')}${random() < 0.5 ? '1' : '"leaf"'}${closing.reverse().join('')}`;
}

/** `json` (an object's text) with `field` set last, so its value wins over one already there. */
function withLast(json: string, field: string, valueText: string): string {
  return `${json.slice(0, -1)}${json === '{}' ? '' : ','}"${field}":${valueText}}`;
}

const GENERATORS: Record<string, Generator> = {
  wrongTypes: (route, random) => ({
    kind: 'wrong types',
    body: bytes(JSON.stringify(brokenBody(route, random))),
    headers: JSON_TYPE,
  }),
  deepNesting: (route, random) => {
    const depth = route.maxDepth + 1 + Math.floor(random() * 5_000);
    const field = pick(random, Object.keys(route.base));
    const text = withLast(JSON.stringify(route.base), field, nestedText(depth, random));
    return { kind: `nested ${depth} levels in ${field}`, body: bytes(text), headers: JSON_TYPE };
  },
  hugeNumbers: (route, random) => {
    const number = pick(random, ['1e400', '-1e400', '1e-400', '123456789012345678901234567890', '-0']);
    const fields = route.numericFields.length > 0 ? route.numericFields : Object.keys(route.base);
    const field = pick(random, fields);
    // Kept invalid whatever the number parses to: another field is broken as well.
    const text = withLast(JSON.stringify(brokenBody(route, random)), field, number);
    return { kind: `${number} in ${field}`, body: bytes(text), headers: JSON_TYPE };
  },
  badEncodings: (route, random) => {
    const plain = JSON.stringify(route.base);
    const choice = pick(random, [
      'gzip-plain',
      'br-plain',
      'deflate-plain',
      'gzip-truncated',
      'br-truncated',
      'unknown',
      'charset',
    ]);
    const compressed = choice.startsWith('gzip') ? gzipSync(plain) : brotliCompressSync(plain);
    const encoding = choice.split('-')[0]!;
    switch (choice) {
      case 'gzip-truncated':
      case 'br-truncated':
        return {
          kind: choice,
          body: compressed.subarray(0, compressed.length - 4),
          headers: { ...JSON_TYPE, 'content-encoding': encoding },
        };
      case 'unknown':
        return { kind: choice, body: bytes(plain), headers: { ...JSON_TYPE, 'content-encoding': 'snappy' } };
      case 'charset':
        return {
          kind: choice,
          body: bytes(plain),
          headers: { 'content-type': 'application/json; charset=klingon' },
        };
      default:
        return { kind: choice, body: bytes(plain), headers: { ...JSON_TYPE, 'content-encoding': encoding } };
    }
  },
  truncatedJson: (route, random) => {
    const text = JSON.stringify({ ...route.base, padding: 'x'.repeat(Math.floor(random() * 50)) });
    // From the first byte on: an empty body is `{}` to the JSON parser, which is not a truncation.
    const cut = 1 + Math.floor(random() * (text.length - 2));
    return { kind: `truncated at ${cut}`, body: bytes(text.slice(0, cut)), headers: JSON_TYPE };
  },
  wrongContentTypes: (route, random) => {
    const type = pick(random, [
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=zz',
      'application/xml',
      'image/png',
      'text/html',
      '',
      ';;;',
    ]);
    const headers: Record<string, string> = type === '' ? {} : { 'content-type': type };
    return { kind: `content-type ${JSON.stringify(type)}`, body: bytes(JSON.stringify(route.base)), headers };
  },
};

let proxy: ProxyHarness;
beforeAll(async () => {
  proxy = await startProxyHarness();
});
afterAll(async () => {
  await proxy.close();
});

async function send(route: Route, badCase: BadCase): Promise<{ status: number; text: string }> {
  const response = await fetch(`${proxy.url}${route.path}`, {
    method: route.method,
    headers: { ...route.auth, ...badCase.headers },
    body: badCase.body,
  });
  return { status: response.status, text: await response.text() };
}

describe('generated bad bodies', () => {
  it.each(ROUTES.map((route) => [route.name, route] as const))(
    'on %s: every one a 4xx in the route shape',
    async (_name, route) => {
      const random = seededRandom(SEED ^ route.path.length);
      const kinds = Object.keys(GENERATORS);
      for (let index = 0; index < CASES_PER_ROUTE; index++) {
        const generator = GENERATORS[kinds[index % kinds.length]!]!;
        const badCase = generator(route, random);
        const sent = new TextDecoder().decode(badCase.body.subarray(0, 300));
        const context = `seed ${SEED}, ${route.name} case ${index} (${badCase.kind}, sent ${sent})`;
        const { status, text } = await send(route, badCase);
        expect(status, `${context}: ${text}`).toBeGreaterThanOrEqual(400);
        expect(status, `${context}: ${text}`).toBeLessThan(500);
        expectErrorShape(route.dialect, JSON.parse(text), context);
      }
      // Still serving afterwards.
      expect((await fetch(`${proxy.url}/health`)).status).toBe(200);
    },
    20_000,
  );
});
