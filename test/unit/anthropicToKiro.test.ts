import { describe, expect, it } from 'vitest';
import type { KiroConversationRequest } from '../../electron/core/kiro/kiroRequest.ts';
import type { AnthropicRequest } from '../../electron/core/translate/anthropicRequest.ts';
import { translateAnthropicRequest } from '../../electron/core/translate/anthropicToKiro.ts';
import { countAnthropicInputTokens } from '../../electron/core/translate/countTokens.ts';
import { RequestError } from '../../electron/core/translate/requestError.ts';
import { findStrictViolation } from '../emulator/strictValidator.ts';
import { thrownBy } from './thrownBy.ts';

const SESSION = '71b905cd-a56e-4dd2-b2c3-7d950ef78748';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const request = (extra: Partial<AnthropicRequest>): AnthropicRequest => ({
  model: 'claude-sonnet-4-5',
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

function historyContent(body: KiroConversationRequest, index: number): string {
  const entry = body.conversationState.history?.[index];
  if (entry === undefined) throw new Error(`no history[${index}]`);
  return 'userInputMessage' in entry
    ? entry.userInputMessage.content
    : entry.assistantResponseMessage.content;
}

const currentContent = (body: KiroConversationRequest) =>
  body.conversationState.currentMessage.userInputMessage.content;

const requestErrorOf = (action: () => unknown): RequestError => thrownBy(action, RequestError);

describe('translateAnthropicRequest', () => {
  describe('conversationId', () => {
    it('uses the session id from a JSON metadata.user_id', () => {
      const userId = JSON.stringify({ device_id: 'abc', account_uuid: '', session_id: SESSION });
      const { body } = translateAnthropicRequest(request({ metadata: { user_id: userId } }));
      expect(body.conversationState.conversationId).toBe(SESSION);
    });

    it('uses the session id from the legacy user_…_session_<uuid> form', () => {
      const userId = `user_0123abcd_account_11111111-2222-4333-8444-555555555555_session_${SESSION}`;
      const { body } = translateAnthropicRequest(request({ metadata: { user_id: userId } }));
      expect(body.conversationState.conversationId).toBe(SESSION);
    });

    it('prefers options.conversationId, and falls back to a fresh random UUID', () => {
      const userId = JSON.stringify({ session_id: SESSION });
      const pinned = translateAnthropicRequest(request({ metadata: { user_id: userId } }), {
        conversationId: 'pinned',
      });
      expect(pinned.body.conversationState.conversationId).toBe('pinned');
      const first = translateAnthropicRequest(request({ metadata: { user_id: 'not-a-session' } }));
      const second = translateAnthropicRequest(request({}));
      expect(first.body.conversationState.conversationId).toMatch(UUID);
      expect(second.body.conversationState.conversationId).toMatch(UUID);
      expect(first.body.conversationState.conversationId).not.toBe(
        second.body.conversationState.conversationId,
      );
    });
  });

  it('sets the root profileArn only when given', () => {
    expect(translateAnthropicRequest(request({})).body).not.toHaveProperty('profileArn');
    const arn = 'arn:aws:codewhisperer:us-east-1:123456789012:profile/ABC';
    expect(translateAnthropicRequest(request({}), { profileArn: arn }).body.profileArn).toBe(arn);
  });

  it('reports the model, its context window and the input token estimate', () => {
    const input = request({ model: 'claude-opus-4-6[1m]', system: 'Be brief.' });
    const translation = translateAnthropicRequest(input);
    expect(translation.modelId).toBe('claude-opus-4.6');
    expect(translation.contextWindow).toBe(1_000_000);
    expect(translation.estimatedInputTokens).toBe(countAnthropicInputTokens(input));
    expect(translation.estimatedInputTokens).toBeGreaterThan(0);
  });

  it('keeps the first user message byte-identical as the conversation grows', () => {
    const system = [{ type: 'text' as const, text: 'Stable system.', cache_control: { type: 'ephemeral' } }];
    const tools = [{ name: 'Read', description: 'Reads.', input_schema: { type: 'object', properties: {} } }];
    const thinking = { type: 'adaptive' as const };
    const turn1: AnthropicRequest['messages'] = [{ role: 'user', content: 'read a file' }];
    const turn2: AnthropicRequest['messages'] = [
      ...turn1,
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { path: '/a' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'A' }] },
    ];
    const turn3: AnthropicRequest['messages'] = [
      ...turn2,
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: 'thanks' },
    ];
    const [first, second, third] = [turn1, turn2, turn3].map(
      (messages) => translateAnthropicRequest(request({ system, tools, thinking, messages })).body,
    );
    expect(historyContent(second!, 0)).toBe(currentContent(first!));
    expect(historyContent(third!, 0)).toBe(currentContent(first!));
    expect(historyContent(third!, 2)).toBe(currentContent(second!));
  });

  describe('thinking', () => {
    it('clamps the enabled budget into 1024..24576 and reports thinking: true', () => {
      const low = translateAnthropicRequest(request({ thinking: { type: 'enabled', budget_tokens: 10 } }));
      expect(low.thinking).toBe(true);
      expect(currentContent(low.body)).toMatch(
        /^<thinking_mode>enabled<\/thinking_mode><max_thinking_length>1024</,
      );
      const high = translateAnthropicRequest(
        request({ thinking: { type: 'enabled', budget_tokens: 100_000 } }),
      );
      expect(currentContent(high.body)).toContain('<max_thinking_length>24576</max_thinking_length>');
    });

    it('uses effort high for adaptive thinking unless output_config names a known effort', () => {
      const effortOf = (effort?: string) =>
        currentContent(
          translateAnthropicRequest(
            request({ thinking: { type: 'adaptive' }, ...(effort ? { output_config: { effort } } : {}) }),
          ).body,
        );
      expect(effortOf()).toMatch(
        /^<thinking_mode>adaptive<\/thinking_mode><thinking_effort>high<\/thinking_effort>/,
      );
      expect(effortOf('low')).toContain('<thinking_effort>low</thinking_effort>');
      expect(effortOf('extreme')).toContain('<thinking_effort>high</thinking_effort>');
    });

    it('injects nothing and does not replay history thinking when thinking is off', () => {
      const messages: AnthropicRequest['messages'] = [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 's' },
            { type: 'text', text: 'a' },
          ],
        },
        { role: 'user', content: 'q2' },
      ];
      for (const thinking of [undefined, { type: 'disabled' as const }]) {
        const translation = translateAnthropicRequest(
          request({ messages, ...(thinking ? { thinking } : {}) }),
        );
        expect(translation.thinking).toBe(false);
        expect(historyContent(translation.body, 0)).toBe('q');
        expect(historyContent(translation.body, 1)).toBe('a');
      }
    });
  });

  it('restores shortened tool names the model calls', () => {
    const longName = `mcp__server__${'x'.repeat(80)}`;
    const translation = translateAnthropicRequest(
      request({
        tools: [{ name: longName, description: 'd', input_schema: { type: 'object', properties: {} } }],
      }),
    );
    const sent =
      translation.body.conversationState.currentMessage.userInputMessage.userInputMessageContext?.tools?.[0];
    const kiroName = sent?.toolSpecification.name ?? '';
    expect(kiroName.length).toBeLessThanOrEqual(64);
    expect(translation.restoreToolName(kiroName)).toBe(longName);
    expect(translation.restoreToolName('Bash')).toBe('Bash');
  });

  it('keeps the full text of an over-long tool description in the system prompt', () => {
    const description = `${'Explains every option. '.repeat(600)}THE END`;
    const { body } = translateAnthropicRequest(
      request({ tools: [{ name: 'Big', description, input_schema: { type: 'object', properties: {} } }] }),
    );
    const spec = body.conversationState.currentMessage.userInputMessage.userInputMessageContext?.tools?.[0];
    expect(spec?.toolSpecification.description.length).toBeLessThanOrEqual(10_000);
    expect(spec?.toolSpecification.description).toContain('## Tool: Big');
    expect(currentContent(body)).toContain(`## Tool: Big\n\n${description}`);
    expect(findStrictViolation(body)).toBeNull();
  });

  it('never mutates the request it is given', () => {
    const input = request({
      system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }],
      tools: [
        {
          name: 'T',
          input_schema: {
            $schema: 'x',
            type: 'object',
            properties: { a: { $id: 'a', type: 'string' } },
            required: [],
          },
        },
      ],
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'u1', name: 'T', input: { '': 1, a: 'x' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'orphan', content: 'r' }] },
      ],
    });
    const before = structuredClone(input);
    translateAnthropicRequest(input);
    expect(input).toEqual(before);
  });

  describe('request errors', () => {
    it('rejects an unmappable model', () => {
      expect(requestErrorOf(() => translateAnthropicRequest(request({ model: 'gpt-4o' }))).message).toContain(
        'model "gpt-4o" is not available on Kiro',
      );
    });

    it('rejects an http image URL anywhere in the conversation', () => {
      const messages: AnthropicRequest['messages'] = [
        {
          role: 'user',
          content: [{ type: 'image', source: { type: 'url', url: 'http://example.com/a.png' } }],
        },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'again' },
      ];
      expect(requestErrorOf(() => translateAnthropicRequest(request({ messages }))).message).toContain(
        'image URLs are not supported by Kiro',
      );
    });

    it('rejects an image inside a tool result whose bytes are not an image', () => {
      const messages: AnthropicRequest['messages'] = [
        { role: 'user', content: 'shot' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'u', name: 'Shot', input: {} }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'u',
              content: [
                {
                  type: 'image',
                  source: { type: 'base64', media_type: 'image/png', data: 'SGVsbG8gd29ybGQh' },
                },
              ],
            },
          ],
        },
      ];
      const error = requestErrorOf(() => translateAnthropicRequest(request({ messages })));
      expect(error.status).toBe(400);
      expect(error.message).toContain('not PNG, JPEG, GIF or WebP');
    });

    it('accepts the same conversation once the image is real', () => {
      const messages: AnthropicRequest['messages'] = [
        {
          role: 'user',
          content: [{ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: PNG } }],
        },
      ];
      const { body } = translateAnthropicRequest(request({ messages }));
      expect(body.conversationState.currentMessage.userInputMessage.images).toEqual([
        { format: 'png', source: { bytes: PNG } },
      ]);
      expect(currentContent(body)).toBe('Continue');
    });
  });
});
