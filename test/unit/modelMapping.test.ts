import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_MODEL_LIMITS,
  KNOWN_KIRO_MODELS,
  resolveModel,
} from '../../electron/core/translate/modelMapping.ts';
import { RequestError } from '../../electron/core/translate/requestError.ts';

describe('resolveModel', () => {
  it('passes every known Kiro id through unchanged', () => {
    for (const modelId of KNOWN_KIRO_MODELS) {
      expect(resolveModel(modelId)).toEqual({ modelId, contextWindow: BUILT_IN_MODEL_LIMITS.get(modelId) });
    }
  });

  it.each([
    ['claude-sonnet-4-5', 'claude-sonnet-4.5'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4.5'],
    ['claude-sonnet-4-6', 'claude-sonnet-4.6'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4.5'],
    ['claude-opus-4-5-latest', 'claude-opus-4.5'],
    ['claude-opus-4-7-thinking', 'claude-opus-4.7'],
    ['claude-opus-4-8', 'claude-opus-4.8'],
    ['Claude-Opus-4.6', 'claude-opus-4.6'],
  ])('maps the Anthropic id %s to %s by rule', (clientModel, modelId) => {
    expect(resolveModel(clientModel).modelId).toBe(modelId);
  });

  it.each([
    ['claude-opus-5-5', 'claude-opus-4.8'],
    ['claude-opus-4-9', 'claude-opus-4.8'],
    ['claude-sonnet-4-6-20261001', 'claude-sonnet-4.6'],
    ['claude-sonnet-5', 'claude-sonnet-4.6'],
    ['claude-haiku-5-1-20270101', 'claude-haiku-4.5'],
  ])('maps the newer-than-the-table id %s to the newest of its family (%s)', (clientModel, modelId) => {
    expect(resolveModel(clientModel).modelId).toBe(modelId);
  });

  it.each([
    ['claude-3-7-sonnet-20250219', 'claude-sonnet-4.6'],
    ['claude-3-5-haiku-20241022', 'claude-haiku-4.5'],
    ['claude-3-opus-20240229', 'claude-opus-4.8'],
    ['claude-3-5-sonnet-latest', 'claude-sonnet-4.6'],
  ])('maps the legacy Claude 3 id %s to %s', (clientModel, modelId) => {
    expect(resolveModel(clientModel).modelId).toBe(modelId);
  });

  it("takes the window from Kiro's listed input limits, the built-in list until Kiro answered", () => {
    expect(resolveModel('claude-sonnet-4-5').contextWindow).toBe(200_000);
    expect(resolveModel('claude-opus-4-6').contextWindow).toBe(1_000_000);
    const listed = new Map([['claude-sonnet-4.5', 400_000]]);
    expect(resolveModel('claude-sonnet-4-5', undefined, listed).contextWindow).toBe(400_000);
  });

  it('maps [1m] to the same model when it takes 1M input tokens', () => {
    expect(resolveModel('claude-opus-4-6[1m]')).toEqual({
      modelId: 'claude-opus-4.6',
      contextWindow: 1_000_000,
    });
    expect(resolveModel('claude-sonnet-4.6[1M]')).toEqual({
      modelId: 'claude-sonnet-4.6',
      contextWindow: 1_000_000,
    });
  });

  it('maps [1m] to the newest model of the family that takes 1M when the named one does not', () => {
    const limits = new Map([
      ['claude-sonnet-4.5', 200_000],
      ['claude-sonnet-4.6', 1_000_000],
      ['claude-opus-4.5', 200_000],
    ]);
    expect(resolveModel('claude-sonnet-4-5[1m]', undefined, limits)).toEqual({
      modelId: 'claude-sonnet-4.6',
      contextWindow: 1_000_000,
    });
  });

  it('rejects [1m] with a 400 naming the real limit when no model of the family takes 1M', () => {
    const limits = new Map([
      ['claude-sonnet-4.5', 200_000],
      ['claude-sonnet-4.6', 200_000],
    ]);
    let error: unknown;
    try {
      resolveModel('claude-sonnet-4-6[1m]', undefined, limits);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).status).toBe(400);
    expect((error as RequestError).message).toMatch(
      /1M-token context.*claude-sonnet-4\.6 takes at most 200,000/,
    );
    expect((error as RequestError).message).toContain('"claude-sonnet-4-6"');
  });

  it('checks aliases before any rule, with or without the [1m] suffix', () => {
    const aliases = {
      'claude-sonnet-4-5': 'claude-opus-4.8',
      'gpt-4o': 'claude-sonnet-4.6',
      'big[1m]': 'claude-opus-4.6',
    };
    expect(resolveModel('claude-sonnet-4-5', aliases).modelId).toBe('claude-opus-4.8');
    expect(resolveModel('gpt-4o', aliases)).toEqual({
      modelId: 'claude-sonnet-4.6',
      contextWindow: 1_000_000,
    });
    expect(resolveModel('gpt-4o[1m]', aliases)).toEqual({
      modelId: 'claude-sonnet-4.6',
      contextWindow: 1_000_000,
    });
    expect(resolveModel('big[1m]', aliases)).toEqual({
      modelId: 'claude-opus-4.6',
      contextWindow: 1_000_000,
    });
  });

  it.each(['gpt-4o', 'foo', 'claude-instant-1', 'claude-opus', 'claude-sonnet-4-5-extra'])(
    'rejects the unmappable id %s with a 400 that says what to use',
    (clientModel) => {
      let error: unknown;
      try {
        resolveModel(clientModel);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(RequestError);
      const requestError = error as RequestError;
      expect(requestError.status).toBe(400);
      expect(requestError.errorType).toBe('invalid_request_error');
      expect(requestError.message).toContain(`model "${clientModel}" is not available on Kiro`);
      expect(requestError.message).toContain('claude-sonnet-4-5');
      expect(requestError.message).toContain('qwen3-coder-next');
      expect(requestError.message).toContain('alias');
    },
  );
});
