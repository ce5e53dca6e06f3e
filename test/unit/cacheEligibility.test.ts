import { describe, expect, it } from 'vitest';
import { cacheBypassReason, hasToolCall } from '../../electron/core/cache/cacheEligibility.ts';

const tools = [{ name: 'read', input_schema: { type: 'object' } }];

describe('cacheBypassReason', () => {
  it('leaves requests with tools to Kiro', () => {
    expect(cacheBypassReason({ tools, temperature: 0 }, false)).toBe('tools');
    expect(cacheBypassReason({ tools: [], temperature: 0 }, false)).toBeUndefined();
  });

  it('leaves sampled requests to Kiro, and counts an absent temperature as the default of 1', () => {
    expect(cacheBypassReason({ temperature: 0.2 }, false)).toBe('sampling');
    expect(cacheBypassReason({}, false)).toBe('sampling');
    expect(cacheBypassReason({ temperature: 0 }, false)).toBeUndefined();
  });

  it('caches both when the user opted in', () => {
    expect(cacheBypassReason({ tools, temperature: 1 }, true)).toBeUndefined();
    expect(cacheBypassReason({}, true)).toBeUndefined();
  });
});

describe('hasToolCall', () => {
  it('is true only for an answer that starts a tool call', () => {
    expect(hasToolCall([{ type: 'text_delta', text: 'hi' }])).toBe(false);
    expect(hasToolCall([{ type: 'tool_start', id: 't', name: 'read' }])).toBe(true);
  });
});
