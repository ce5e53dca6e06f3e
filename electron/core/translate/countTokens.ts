/**
 * Input token estimate for an Anthropic request (the count_tokens endpoint and the usage reported before Kiro's
 * own figure arrives). One pass over the text; JSON is only serialised for tool inputs and schemas.
 */
import type { AnthropicContentBlock, AnthropicRequest } from './anthropicRequest.ts';
import {
  isImageBlock,
  isTextBlock,
  isThinkingBlock,
  isToolResultBlock,
  isToolUseBlock,
} from './contentBlocks.ts';
import { estimateJsonTokens, estimateTokens } from './tokenEstimate.ts';

/** Claude bills an image by its pixel area; ~1 600 tokens is a typical screenshot after downscaling. */
export const TOKENS_PER_IMAGE = 1_600;
/** Role markers and separators the model sees around each message and tool definition. */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_TOOL = 8;

export function countAnthropicInputTokens(request: AnthropicRequest): number {
  let total = systemTokens(request.system);
  for (const message of request.messages) {
    total += TOKENS_PER_MESSAGE;
    if (typeof message.content === 'string') total += estimateTokens(message.content);
    else for (const block of message.content) total += blockTokens(block);
  }
  for (const tool of request.tools ?? []) {
    total += TOKENS_PER_TOOL + estimateTokens(tool.name) + estimateTokens(tool.description ?? '');
    total += estimateJsonTokens(tool.input_schema);
  }
  return total;
}

function systemTokens(system: AnthropicRequest['system']): number {
  if (system === undefined) return 0;
  if (typeof system === 'string') return estimateTokens(system);
  let total = 0;
  for (const block of system) if (isTextBlock(block)) total += estimateTokens(block.text);
  return total;
}

function blockTokens(block: AnthropicContentBlock): number {
  if (isTextBlock(block)) return estimateTokens(block.text);
  if (isImageBlock(block)) return TOKENS_PER_IMAGE;
  if (isThinkingBlock(block)) return estimateTokens(block.thinking);
  if (isToolUseBlock(block)) return estimateTokens(block.name) + estimateJsonTokens(block.input);
  if (isToolResultBlock(block)) {
    if (typeof block.content === 'string') return estimateTokens(block.content);
    let total = 0;
    for (const part of block.content ?? []) total += blockTokens(part);
    return total;
  }
  return 0;
}
