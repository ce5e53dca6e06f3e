/**
 * A finished turn as one Anthropic Messages API response (non-streaming `POST /v1/messages`). Block boundaries
 * follow the same rules as the SSE writer, so the JSON answer equals what an SDK accumulates from the stream.
 */
import type { StopReason, TurnEvent, TurnUsage } from './turnEvents.ts';
import {
  redactedThinkingBlock,
  serverToolUseBlock,
  webSearchResultBlock,
  type RedactedThinkingBlock,
  type ServerToolUseBlock,
  type WebSearchToolResultBlock,
} from './webSearchBlocks.ts';

export interface AnthropicThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
}

export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export type AnthropicContentBlock =
  | AnthropicThinkingBlock
  | AnthropicTextBlock
  | AnthropicToolUseBlock
  | RedactedThinkingBlock
  | ServerToolUseBlock
  | WebSearchToolResultBlock;

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
  server_tool_use?: { web_search_requests: number };
}

export interface AnthropicMessageResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: StopReason;
  stop_sequence: null;
  usage: AnthropicUsage;
}

export function anthropicUsage(usage: TurnUsage): AnthropicUsage {
  const out: AnthropicUsage = { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens };
  if (usage.cacheReadInputTokens !== undefined) out.cache_read_input_tokens = usage.cacheReadInputTokens;
  if (usage.cacheCreationInputTokens !== undefined)
    out.cache_creation_input_tokens = usage.cacheCreationInputTokens;
  if (usage.webSearchRequests !== undefined)
    out.server_tool_use = { web_search_requests: usage.webSearchRequests };
  return out;
}

export function buildAnthropicMessage(
  events: TurnEvent[],
  o: { messageId: string; model: string },
): AnthropicMessageResponse {
  const content: AnthropicContentBlock[] = [];
  const toolJson = new Map<string, string>();
  let end: Extract<TurnEvent, { type: 'end' }> | undefined;
  for (const event of events) {
    switch (event.type) {
      case 'thinking_delta':
        if (event.text !== '') thinkingBlock(content).thinking += event.text;
        break;
      case 'thinking_signature':
        thinkingBlock(content).signature += event.signature;
        break;
      case 'text_delta':
        if (event.text !== '') textBlock(content).text += event.text;
        break;
      case 'tool_start':
        content.push({ type: 'tool_use', id: event.id, name: event.name, input: {} });
        toolJson.set(event.id, '');
        break;
      case 'tool_input_delta':
        toolJson.set(event.id, (toolJson.get(event.id) ?? '') + event.partialJson);
        break;
      case 'tool_stop':
        break;
      case 'redacted_thinking':
        content.push(redactedThinkingBlock(event));
        break;
      case 'server_tool_use':
        content.push(serverToolUseBlock(event));
        break;
      case 'web_search_result':
        content.push(webSearchResultBlock(event));
        break;
      case 'end':
        end = event;
        break;
    }
  }
  if (!end) throw new Error('buildAnthropicMessage needs the events of a finished turn (no end event)');
  for (const block of content) {
    if (block.type === 'tool_use')
      block.input = JSON.parse(toolJson.get(block.id) || '{}') as Record<string, unknown>;
  }
  return {
    id: o.messageId,
    type: 'message',
    role: 'assistant',
    model: o.model,
    content,
    stop_reason: end.stopReason,
    stop_sequence: null,
    usage: anthropicUsage(end.usage),
  };
}

function thinkingBlock(content: AnthropicContentBlock[]): AnthropicThinkingBlock {
  const last = content.at(-1);
  if (last?.type === 'thinking') return last;
  const block: AnthropicThinkingBlock = { type: 'thinking', thinking: '', signature: '' };
  content.push(block);
  return block;
}

function textBlock(content: AnthropicContentBlock[]): AnthropicTextBlock {
  const last = content.at(-1);
  if (last?.type === 'text') return last;
  const block: AnthropicTextBlock = { type: 'text', text: '' };
  content.push(block);
  return block;
}
