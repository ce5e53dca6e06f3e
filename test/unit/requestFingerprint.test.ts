import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  fingerprintRequest,
  type CacheScope,
} from '../../electron/core/cache/requestFingerprint.ts';
import type { AnthropicRequest } from '../../electron/core/translate/anthropicRequest.ts';

const base: AnthropicRequest = {
  model: 'claude-sonnet-4-5',
  max_tokens: 100,
  system: 'Be brief.',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  tools: [{ name: 'read', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
};

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined, b: null } })).toBe(
      '{"a":{"b":null,"d":[2,1]},"b":1}',
    );
  });
});

const session: CacheScope = { client: 'client-a', session: 'session-1' };

describe('fingerprintRequest', () => {
  const key = fingerprintRequest(base, 'claude-sonnet-4.5', session);

  it('is a sha256 hex digest', () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores key order, the stream flag and metadata', () => {
    const reordered = JSON.parse(
      '{"tools":[{"input_schema":{"properties":{"path":{"type":"string"}},"type":"object"},"name":"read"}],' +
        '"messages":[{"content":[{"text":"hi","type":"text"}],"role":"user"}],"system":"Be brief.",' +
        '"max_tokens":100,"model":"claude-sonnet-4-5","stream":true,"metadata":{"user_id":"someone"}}',
    ) as AnthropicRequest;
    expect(fingerprintRequest(reordered, 'claude-sonnet-4.5', session)).toBe(key);
  });

  it('changes with the resolved model and with every answer-shaping field', () => {
    expect(fingerprintRequest(base, 'claude-opus-4.5', session)).not.toBe(key);
    const variants: Array<Partial<AnthropicRequest>> = [
      { system: 'Be long.' },
      { messages: [{ role: 'user', content: 'hi' }] },
      { tools: [] },
      { tool_choice: { type: 'any' } },
      { thinking: { type: 'enabled', budget_tokens: 1024 } },
      { temperature: 0.2 },
      { top_p: 0.5 },
      { top_k: 5 },
      { max_tokens: 101 },
      { stop_sequences: ['END'] },
    ];
    const keys = variants.map((variant) =>
      fingerprintRequest({ ...base, ...variant }, 'claude-sonnet-4.5', session),
    );
    expect(new Set([key, ...keys]).size).toBe(variants.length + 1);
  });

  it('two client ids of one Kiro model share a fingerprint', () => {
    const alias = { ...base, model: 'claude-sonnet-4-5-20250929' };
    expect(fingerprintRequest(alias, 'claude-sonnet-4.5', session)).toBe(key);
  });

  it('differs for another session, for no session and for another client key', () => {
    const scopes: CacheScope[] = [
      { client: 'client-a', session: 'session-2' },
      { client: 'client-a' },
      { client: 'client-b', session: 'session-1' },
      { client: 'client-b' },
      // A session named like the absence of one is still a session.
      { client: 'client-a', session: 'null' },
    ];
    const keys = scopes.map((scope) => fingerprintRequest(base, 'claude-sonnet-4.5', scope));
    expect(new Set([key, ...keys]).size).toBe(scopes.length + 1);
    expect(fingerprintRequest(base, 'claude-sonnet-4.5', { client: 'client-a' })).toBe(keys[1]);
  });
});
