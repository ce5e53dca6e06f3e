/**
 * The upstream bytes of one answer, split at every possible offset (inside frame headers, inside CRCs, inside
 * multi-byte UTF-8), must produce byte-identical client output in both dialects.
 */
import { describe, expect, it } from 'vitest';
import { encodeKiroEvent } from '../../electron/core/kiro/eventStreamEncoder.ts';
import { createKiroEventDecoder } from '../../electron/core/kiro/kiroEventDecoder.ts';
import { createAnthropicSseWriter } from '../../electron/core/translate/anthropicSse.ts';
import { createOpenAIChunkWriter } from '../../electron/core/translate/openaiChunks.ts';
import { createTurnAssembler } from '../../electron/core/translate/turnAssembler.ts';

const upstream = Buffer.concat([
  encodeKiroEvent('assistantResponseEvent', { content: '<think' }),
  encodeKiroEvent('assistantResponseEvent', { content: 'ing>Weighing é and 漢字…' }),
  encodeKiroEvent('assistantResponseEvent', { content: '</thinking>\n\nHere 🎉 it is: ' }),
  encodeKiroEvent('assistantResponseEvent', { content: 'naïve café.' }),
  encodeKiroEvent('toolUseEvent', { toolUseId: 'tooluse_1', name: 'write_file', input: '' }),
  encodeKiroEvent('toolUseEvent', { toolUseId: 'tooluse_1', name: 'write_file', input: '{"path":"é.txt",' }),
  encodeKiroEvent('toolUseEvent', { toolUseId: 'tooluse_1', name: 'write_file', input: '"text":"漢字"}' }),
  encodeKiroEvent('toolUseEvent', { toolUseId: 'tooluse_1', name: 'write_file', stop: true }),
  encodeKiroEvent('meteringEvent', { usage: 0.42, unit: 'credit' }),
  encodeKiroEvent('contextUsageEvent', { contextUsagePercentage: 1.5 }),
]);

/** Native reasoning (docs/native-reasoning.md): redacted and signed reasoning, the signature in fragments. */
const nativeUpstream = Buffer.concat([
  encodeKiroEvent('reasoningContentEvent', { redactedContent: 'ZW5jcnlwdGVk' }),
  encodeKiroEvent('reasoningContentEvent', { text: 'Weighing é and 漢字' }),
  encodeKiroEvent('reasoningContentEvent', { text: ' — done 🎉.' }),
  encodeKiroEvent('reasoningContentEvent', { signature: 'c2lnbmF0' }),
  encodeKiroEvent('reasoningContentEvent', { signature: 'dXJl' }),
  encodeKiroEvent('assistantResponseEvent', { content: 'naïve café.' }),
  encodeKiroEvent('contextUsageEvent', { contextUsagePercentage: 0.5 }),
]);

function render(chunks: Buffer[], thinking = true): { anthropic: string; openai: string } {
  const decoder = createKiroEventDecoder();
  const assembler = createTurnAssembler({
    thinking,
    restoreToolName: (name) => name,
    estimatedInputTokens: 100,
    contextWindow: 200_000,
  });
  const sse = createAnthropicSseWriter({ messageId: 'msg_1', model: 'claude-sonnet-4-5', inputTokens: 100 });
  const chunkWriter = createOpenAIChunkWriter({
    id: 'chatcmpl-1',
    model: 'claude-sonnet-4-5',
    created: 1,
    includeUsage: true,
  });
  let anthropic = sse.start();
  let openai = '';
  const emit = (events: ReturnType<typeof assembler.push>) => {
    for (const event of events) {
      anthropic += sse.write(event);
      openai += chunkWriter.write(event);
    }
  };
  for (const chunk of chunks) for (const event of decoder.push(chunk)) emit(assembler.push(event));
  decoder.end();
  emit(assembler.finish());
  return { anthropic, openai: openai + chunkWriter.done() };
}

describe('client output does not depend on how the upstream bytes were split', () => {
  const whole = render([upstream]);

  it('renders the reference answer', () => {
    expect(whole.anthropic).toContain('"thinking_delta"');
    expect(whole.anthropic).toContain('naïve café.');
    expect(whole.anthropic).toContain('"stop_reason":"tool_use"');
    expect(whole.openai).toContain('"finish_reason":"tool_calls"');
  });

  it('at every single offset', () => {
    for (let offset = 1; offset < upstream.length; offset++) {
      const split = render([upstream.subarray(0, offset), upstream.subarray(offset)]);
      expect(split.anthropic, `split at ${offset}`).toBe(whole.anthropic);
      expect(split.openai, `split at ${offset}`).toBe(whole.openai);
    }
  });

  it('byte by byte', () => {
    const bytes = Array.from({ length: upstream.length }, (_, i) => upstream.subarray(i, i + 1));
    expect(render(bytes)).toEqual(whole);
  });
});

describe('native reasoning output does not depend on how the upstream bytes were split', () => {
  const whole = render([nativeUpstream], false);

  it('renders redacted and signed thinking blocks', () => {
    expect(whole.anthropic).toContain('"type":"redacted_thinking","data":"ZW5jcnlwdGVk"');
    expect(whole.anthropic).toContain('"signature":"c2lnbmF0dXJl"');
  });

  it('at every single offset', () => {
    for (let offset = 1; offset < nativeUpstream.length; offset++) {
      const split = render([nativeUpstream.subarray(0, offset), nativeUpstream.subarray(offset)], false);
      expect(split, `split at ${offset}`).toEqual(whole);
    }
  });
});
