/** The emulator's strict rules for native reasoning and for /mcp (docs/native-reasoning.md, docs/web-search.md). */
import { describe, expect, it } from 'vitest';
import { startKiroEmulator } from '../emulator/kiroEmulator.ts';
import { kiroRequestBody } from '../emulator/kiroRequestBody.ts';
import { redactedReasoning, signReasoning } from '../emulator/reasoningSignature.ts';
import { findStrictRejection } from '../emulator/strictValidator.ts';

const FIELDS = { thinking: { type: 'adaptive' }, output_config: { effort: 'high' } };

function withReasoning(reasoningContent: unknown, modelId = 'claude-opus-4.6', fields: unknown = FIELDS) {
  const body = kiroRequestBody('next', {
    modelId,
    history: [
      { userInputMessage: { content: 'q', modelId, origin: 'AI_EDITOR' } },
      { assistantResponseMessage: { content: 'a', reasoningContent } as never },
    ],
  });
  return fields === undefined ? body : { ...body, additionalModelRequestFields: fields };
}

describe('strict native reasoning rules', () => {
  it('accepts signed and redacted reasoning it issued', () => {
    const text = 'because';
    expect(
      findStrictRejection(withReasoning({ reasoningText: { text, signature: signReasoning(text) } })),
    ).toBeUndefined();
    expect(findStrictRejection(withReasoning({ redactedContent: redactedReasoning('x') }))).toBeUndefined();
  });

  it('refuses flat, listed, forged and foreign reasoning', () => {
    const reasonOf = (reasoning: unknown) => findStrictRejection(withReasoning(reasoning))?.body.reason;
    expect(reasonOf('flat text')).toBe('REQUEST_BODY_INVALID');
    expect(reasonOf([{ reasoningText: { text: 't', signature: signReasoning('t') } }])).toBe(
      'REQUEST_BODY_INVALID',
    );
    expect(reasonOf({ reasoningText: { text: 't' } })).toBe('REQUEST_BODY_INVALID');
    expect(reasonOf({ reasoningText: { text: 'edited', signature: signReasoning('t') } })).toBe(
      'THINKING_SIGNATURE_INVALID',
    );
    expect(reasonOf({ redactedContent: Buffer.from('made up').toString('base64') })).toBe(
      'THINKING_SIGNATURE_INVALID',
    );
  });

  it('refuses the fields on models without them, other thinking types, unknown efforts and keys', () => {
    const rejection = (fields: unknown, modelId = 'claude-opus-4.6') =>
      findStrictRejection(withReasoning(undefined, modelId, fields))?.body.message;
    expect(rejection(FIELDS, 'claude-sonnet-4.5')).toBe(
      'additionalModelRequestFields is not supported for this model',
    );
    expect(rejection({ thinking: { type: 'enabled', budget_tokens: 2048 } })).toBe(
      'Improperly formed request.',
    );
    expect(rejection({ thinking: { type: 'adaptive' }, output_config: { effort: 'xhigh' } })).toBe(
      'Improperly formed request.',
    );
    expect(rejection({ ...FIELDS, reasoning: { effort: 'high' } })).toBe('Improperly formed request.');
    expect(rejection({ thinking: { type: 'disabled' } })).toBeUndefined();
  });
});

describe('emulator /mcp', () => {
  it('answers a well-formed search and refuses malformed calls in strict mode', async () => {
    const emulator = await startKiroEmulator();
    try {
      const account = emulator.createSocialAccount();
      const call = (body: unknown) =>
        fetch(`${emulator.url}/mcp`, {
          method: 'POST',
          headers: { authorization: `Bearer ${account.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const good = {
        id: `web_search_tooluse_${'A'.repeat(22)}_1796169600000_abcd1234`,
        jsonrpc: '2.0',
        method: 'tools/call',
        params: { name: 'web_search', arguments: { query: 'kiro' } },
      };
      const answer = (await (await call(good)).json()) as { result: { content: Array<{ text: string }> } };
      expect(JSON.parse(answer.result.content[0]!.text).results).toHaveLength(4);
      expect((await call({ ...good, id: 'req-1' })).status).toBe(400);
      expect((await call({ ...good, params: { name: 'fetch', arguments: { query: 'x' } } })).status).toBe(
        400,
      );
      expect((await call({ ...good, params: { name: 'web_search', arguments: {} } })).status).toBe(400);
      expect(emulator.strictRejections()).toHaveLength(3);
      const unauthenticated = await fetch(`${emulator.url}/mcp`, {
        method: 'POST',
        body: JSON.stringify(good),
      });
      expect(unauthenticated.status).toBe(403);
    } finally {
      await emulator.close();
    }
  });
});
