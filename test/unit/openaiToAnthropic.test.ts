import { describe, expect, it } from 'vitest';
import { anthropicRequestSchema } from '../../electron/core/translate/anthropicRequest.ts';
import { translateAnthropicRequest } from '../../electron/core/translate/anthropicToKiro.ts';
import {
  openaiChatRequestSchema,
  type OpenAIChatRequest,
} from '../../electron/core/translate/openaiRequest.ts';
import { openaiToAnthropic } from '../../electron/core/translate/openaiToAnthropic.ts';
import { RequestError } from '../../electron/core/translate/requestError.ts';
import { thrownBy } from './thrownBy.ts';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const parse = (body: unknown): OpenAIChatRequest => openaiChatRequestSchema.parse(body);
const convert = (body: Record<string, unknown>) =>
  openaiToAnthropic(
    parse({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }], ...body }),
  );

const requestErrorOf = (action: () => unknown): RequestError => thrownBy(action, RequestError);

describe('openaiToAnthropic', () => {
  it('turns leading system and developer messages into the system prompt and keeps later ones in place', () => {
    const result = convert({
      messages: [
        { role: 'system', content: 'one' },
        { role: 'developer', content: [{ type: 'text', text: 'two' }] },
        { role: 'user', content: 'q' },
        { role: 'system', content: 'later' },
      ],
    });
    expect(result.system).toBe('one\n\ntwo');
    expect(result.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'system', content: 'later' },
    ]);
  });

  it('maps tool calls to tool_use blocks and consecutive tool messages to one user message of results', () => {
    const result = convert({
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: 'calling',
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
            { id: 'c2', type: 'function', function: { name: 'g', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'r1' },
        { role: 'tool', tool_call_id: 'c2', content: [{ type: 'text', text: 'r2' }] },
        { role: 'user', content: 'next' },
      ],
    });
    expect(result.messages).toEqual([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'calling' },
          { type: 'tool_use', id: 'c1', name: 'f', input: { a: 1 } },
          { type: 'tool_use', id: 'c2', name: 'g', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'c1', content: 'r1' },
          { type: 'tool_result', tool_use_id: 'c2', content: 'r2' },
        ],
      },
      { role: 'user', content: 'next' },
    ]);
    expect(anthropicRequestSchema.safeParse(result).success).toBe(true);
  });

  it('rejects tool-call arguments that are not JSON, naming the call id', () => {
    const error = requestErrorOf(() =>
      convert({
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_bad', type: 'function', function: { name: 'f', arguments: '{oops' } }],
          },
        ],
      }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain('call_bad');
  });

  it('rejects a tool message without tool_call_id and a conversation of only system messages', () => {
    expect(requestErrorOf(() => convert({ messages: [{ role: 'tool', content: 'x' }] })).message).toContain(
      'tool_call_id',
    );
    expect(requestErrorOf(() => convert({ messages: [{ role: 'system', content: 'x' }] })).message).toContain(
      'at least one',
    );
  });

  it('converts function tools (default schema when parameters are missing) and ignores other tool types', () => {
    const result = convert({
      tools: [
        {
          type: 'function',
          function: {
            name: 'f',
            description: 'F',
            parameters: { type: 'object', properties: { a: { type: 'string' } } },
          },
        },
        { type: 'function', function: { name: 'g' } },
        { type: 'custom', custom: { name: 'h' } },
      ],
    });
    expect(result.tools).toEqual([
      {
        name: 'f',
        description: 'F',
        input_schema: { type: 'object', properties: { a: { type: 'string' } } },
      },
      { name: 'g', input_schema: { type: 'object', properties: {} } },
    ]);
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'any' }],
    [
      { type: 'function', function: { name: 'f' } },
      { type: 'tool', name: 'f' },
    ],
  ])('maps tool_choice %j to %j', (choice, expected) => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    expect(convert({ tool_choice: choice, tools }).tool_choice).toEqual(expected);
  });

  it('maps limits, reasoning effort, user and stream', () => {
    const result = convert({
      max_tokens: 100,
      max_completion_tokens: 200,
      reasoning_effort: 'minimal',
      user: 'u-1',
      stream: true,
    });
    expect(result).toMatchObject({
      max_tokens: 200,
      thinking: { type: 'adaptive' },
      output_config: { effort: 'low' },
      metadata: { user_id: 'u-1' },
      stream: true,
    });
    expect(convert({ max_tokens: 100 }).max_tokens).toBe(100);
    expect(convert({ reasoning_effort: 'none' })).not.toHaveProperty('thinking');
    expect(convert({ reasoning_effort: 'high' }).output_config).toEqual({ effort: 'high' });
  });

  it('turns data-URL images into base64 images and leaves http URLs for the Kiro translation to reject', () => {
    const result = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: 'image_url', image_url: 'https://example.com/x.png' },
          ],
        },
      ],
    });
    expect(result.messages[0]!.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/x.png' } },
    ]);
    expect(requestErrorOf(() => translateAnthropicRequest(result)).message).toContain(
      'image URLs are not supported',
    );
  });

  it('rejects content parts Kiro cannot take', () => {
    const error = requestErrorOf(() =>
      convert({
        messages: [
          { role: 'user', content: [{ type: 'input_audio', input_audio: { data: '', format: 'wav' } }] },
        ],
      }),
    );
    expect(error.message).toContain('input_audio');
  });
});
