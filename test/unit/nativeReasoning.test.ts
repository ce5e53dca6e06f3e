import { describe, expect, it } from 'vitest';
import { toModelPage } from '../../electron/core/kiro/kiroAnswers.ts';
import {
  builtInReasoningSupport,
  closestEffort,
  effortForBudget,
  nativeReasoningFields,
  reasoningSupportFromSchema,
  withoutReplayedReasoning,
} from '../../electron/core/translate/nativeReasoning.ts';
import { translateAnthropicRequest } from '../../electron/core/translate/anthropicToKiro.ts';
import { listAvailableModelsBody } from '../emulator/modelCatalogue.ts';

const CLAUDE = { efforts: ['low', 'medium', 'high', 'max'], defaultEffort: 'high' };

describe('native reasoning fields', () => {
  it('maps budgets onto efforts and snaps unknown levels to the nearest accepted one', () => {
    expect([1024, 4000, 4001, 10_000, 24_000, 48_000, 64_000].map(effortForBudget)).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'xhigh',
      'max',
    ]);
    expect(closestEffort('xhigh', CLAUDE.efforts)).toBe('max');
    expect(closestEffort('minimal', CLAUDE.efforts)).toBe('low');
    expect(closestEffort('turbo', CLAUDE.efforts)).toBe('max');
    expect(closestEffort('medium', ['low', 'high'])).toBe('high');
  });

  it('sends adaptive for enabled and adaptive thinking, nothing without thinking', () => {
    expect(nativeReasoningFields({ thinking: { type: 'enabled', budget_tokens: 2000 } }, CLAUDE)).toEqual({
      thinking: { type: 'adaptive' },
      output_config: { effort: 'low' },
    });
    expect(
      nativeReasoningFields({ thinking: { type: 'adaptive' }, output_config: { effort: 'max' } }, CLAUDE),
    ).toEqual({ thinking: { type: 'adaptive' }, output_config: { effort: 'max' } });
    expect(nativeReasoningFields({ thinking: { type: 'adaptive' } }, CLAUDE)?.output_config.effort).toBe(
      'high',
    );
    expect(nativeReasoningFields({ thinking: { type: 'disabled' } }, CLAUDE)).toBeUndefined();
    expect(nativeReasoningFields({}, CLAUDE)).toBeUndefined();
  });

  it('reads the advertised schema the way the emulator serves it, and the built-in rule by version', () => {
    const models = toModelPage(listAvailableModelsBody()).models;
    const withReasoning = models.filter((model) => model.reasoning).map((model) => model.modelId);
    expect(withReasoning).toEqual([
      'claude-sonnet-4.6',
      'claude-opus-4.6',
      'claude-opus-4.7',
      'claude-opus-4.8',
    ]);
    expect(models.find((model) => model.modelId === 'claude-opus-4.6')?.reasoning).toEqual(CLAUDE);
    expect(
      reasoningSupportFromSchema({
        properties: { thinking: { properties: { type: { enum: ['disabled'] } } } },
      }),
    ).toBeUndefined();
    expect(reasoningSupportFromSchema(undefined)).toBeUndefined();
    expect(
      ['claude-opus-4.5', 'claude-haiku-4.5', 'claude-sonnet-4', 'auto', 'glm-5'].map(
        builtInReasoningSupport,
      ),
    ).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(builtInReasoningSupport('claude-opus-5')).toBeDefined();
  });

  it('drops replayed reasoning from history and nothing else', () => {
    const { body } = translateAnthropicRequest(
      {
        model: 'claude-opus-4-6',
        thinking: { type: 'adaptive' },
        messages: [
          { role: 'user', content: 'q' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 't', signature: 's' },
              { type: 'text', text: 'a' },
            ],
          },
          { role: 'user', content: 'next' },
        ],
      },
      { reasoning: builtInReasoningSupport, conversationId: '00000000-0000-4000-8000-000000000001' },
    );
    expect(JSON.stringify(body)).toContain('"reasoningContent"');
    const stripped = withoutReplayedReasoning(body);
    expect(JSON.stringify(stripped)).not.toContain('reasoningContent');
    expect(stripped.additionalModelRequestFields).toEqual(body.additionalModelRequestFields);
    expect(stripped.conversationState.history?.[1]).toEqual({ assistantResponseMessage: { content: 'a' } });
  });
});
