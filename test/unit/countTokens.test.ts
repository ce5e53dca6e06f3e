import { describe, expect, it } from 'vitest';
import type { AnthropicRequest } from '../../electron/core/translate/anthropicRequest.ts';
import { countAnthropicInputTokens } from '../../electron/core/translate/countTokens.ts';
import { MAX_IMAGE_TOKENS } from '../../electron/core/translate/imageTokens.ts';
import { estimateJsonTokens, estimateTokens } from '../../electron/core/translate/tokenEstimate.ts';

const base: AnthropicRequest = { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hello' }] };
const count = (extra: Partial<AnthropicRequest>) => countAnthropicInputTokens({ ...base, ...extra });

describe('countAnthropicInputTokens', () => {
  it('grows with the system prompt, as a string or as text blocks', () => {
    const system = 'You are a careful assistant. '.repeat(40);
    const withString = count({ system });
    expect(withString - count({})).toBe(estimateTokens(system));
    expect(count({ system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }] })).toBe(
      withString,
    );
  });

  it('counts message text, thinking, tool inputs and tool results', () => {
    const result = 'line of output\n'.repeat(200);
    const input = { command: 'ls -la /some/directory', timeout: 1000 };
    const messages: AnthropicRequest['messages'] = [
      { role: 'user', content: 'list it' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I will list the directory.', signature: 's' },
          { type: 'tool_use', id: 't', name: 'Bash', input },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: result }] }],
      },
    ];
    const expectedParts =
      estimateTokens('list it') +
      estimateTokens('I will list the directory.') +
      estimateTokens('Bash') +
      estimateJsonTokens(input) +
      estimateTokens(result);
    const total = countAnthropicInputTokens({ ...base, messages });
    expect(total).toBeGreaterThanOrEqual(expectedParts);
    expect(total).toBeLessThan(expectedParts + 20);
  });

  it('charges about 1 600 tokens per image, wherever it is', () => {
    const image = {
      type: 'image' as const,
      source: { type: 'base64' as const, media_type: 'image/png', data: 'x'.repeat(100_000) },
    };
    const messages: AnthropicRequest['messages'] = [
      { role: 'user', content: [image, { type: 'text', text: 'hello' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'Shot', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [image] }] },
    ];
    const withImages = countAnthropicInputTokens({ ...base, messages });
    const withoutImages = countAnthropicInputTokens({
      ...base,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hello' }] },
        messages[1]!,
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [] }] },
      ],
    });
    // Bytes that are no image the size can be read from count as the most an image can cost.
    expect(withImages - withoutImages).toBe(2 * MAX_IMAGE_TOKENS);
  });

  it('counts tool definitions: name, description and schema', () => {
    const schema = {
      type: 'object',
      properties: { path: { type: 'string', description: 'Absolute path to read' } },
    };
    const description = 'Reads a file from disk and returns its contents with line numbers. '.repeat(10);
    const added = count({ tools: [{ name: 'Read', description, input_schema: schema }] }) - count({});
    const parts = estimateTokens('Read') + estimateTokens(description) + estimateJsonTokens(schema);
    expect(added).toBeGreaterThanOrEqual(parts);
    expect(added).toBeLessThan(parts + 20);
  });
});
