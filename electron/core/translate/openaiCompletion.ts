/**
 * A finished turn as one OpenAI Chat Completions response (non-streaming). Thinking goes to
 * `reasoning_content`, the field OpenAI-compatible clients read reasoning from.
 */
import type { StopReason, TurnEvent, TurnUsage } from './turnEvents.ts';

export type OpenAIFinishReason = 'stop' | 'tool_calls' | 'length';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAIUsage {
  /** Everything the model read: uncached, cache-read and cache-written input. */
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

export interface OpenAIAssistantMessage {
  role: 'assistant';
  content: string | null;
  refusal: null;
  reasoning_content?: string;
  tool_calls?: OpenAIToolCall[];
}

export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: [{ index: 0; message: OpenAIAssistantMessage; finish_reason: OpenAIFinishReason; logprobs: null }];
  usage: OpenAIUsage;
}

export function openaiFinishReason(stopReason: StopReason): OpenAIFinishReason {
  switch (stopReason) {
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'end_turn':
      return 'stop';
  }
}

export function openaiUsage(usage: TurnUsage): OpenAIUsage {
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const promptTokens = usage.inputTokens + cacheRead + (usage.cacheCreationInputTokens ?? 0);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: promptTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

export function buildOpenAICompletion(
  events: TurnEvent[],
  o: { id: string; model: string; created: number },
): OpenAIChatCompletion {
  let content: string | null = null;
  let reasoning: string | undefined;
  const toolCalls: OpenAIToolCall[] = [];
  let end: Extract<TurnEvent, { type: 'end' }> | undefined;
  for (const event of events) {
    if (event.type === 'text_delta') content = (content ?? '') + event.text;
    else if (event.type === 'thinking_delta') reasoning = (reasoning ?? '') + event.text;
    else if (event.type === 'tool_start') {
      toolCalls.push({ id: event.id, type: 'function', function: { name: event.name, arguments: '' } });
    } else if (event.type === 'tool_input_delta') {
      const call = toolCalls.find((candidate) => candidate.id === event.id);
      if (call) call.function.arguments += event.partialJson;
    } else if (event.type === 'end') end = event;
  }
  if (!end) throw new Error('buildOpenAICompletion needs the events of a finished turn (no end event)');
  const message: OpenAIAssistantMessage = { role: 'assistant', content: content || null, refusal: null };
  if (reasoning !== undefined) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: o.id,
    object: 'chat.completion',
    created: o.created,
    model: o.model,
    choices: [{ index: 0, message, finish_reason: openaiFinishReason(end.stopReason), logprobs: null }],
    usage: openaiUsage(end.usage),
  };
}
