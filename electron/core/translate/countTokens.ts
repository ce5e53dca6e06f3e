/**
 * Input token estimate for an Anthropic request (count_tokens and the usage Kiro Dock reports), kept in two
 * parts: text (prose, code, tool schemas: a character estimate that is calibrated per model against Kiro's own
 * figures) and images (counted by their pixels as Anthropic counts them, needing no calibration). One pass
 * over the text; JSON is only serialised for tool inputs and schemas.
 */
import type { AnthropicContentBlock, AnthropicRequest } from './anthropicRequest.ts';
import {
  isImageBlock,
  isTextBlock,
  isThinkingBlock,
  isToolResultBlock,
  isToolUseBlock,
} from './contentBlocks.ts';
import { imageTokensForBase64, MAX_IMAGE_TOKENS } from './imageTokens.ts';
import { estimateJsonTokens, estimateTokens } from './tokenEstimate.ts';

/** Role markers and separators the model sees around each message and tool definition. */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_TOOL = 8;

export interface InputTokenParts {
  /** The uncalibrated character estimate of everything but images. */
  text: number;
  images: number;
}

export function countAnthropicInputParts(request: AnthropicRequest): InputTokenParts {
  const parts: InputTokenParts = { text: systemTokens(request.system), images: 0 };
  for (const message of request.messages) {
    parts.text += TOKENS_PER_MESSAGE;
    if (typeof message.content === 'string') parts.text += estimateTokens(message.content);
    else for (const block of message.content) addBlock(parts, block);
  }
  for (const tool of request.tools ?? []) {
    parts.text += TOKENS_PER_TOOL + estimateTokens(tool.name) + estimateTokens(tool.description ?? '');
    parts.text += estimateJsonTokens(tool.input_schema);
  }
  return parts;
}

/** The uncalibrated estimate as one number. */
export function countAnthropicInputTokens(request: AnthropicRequest): number {
  const parts = countAnthropicInputParts(request);
  return parts.text + parts.images;
}

function systemTokens(system: AnthropicRequest['system']): number {
  if (system === undefined) return 0;
  if (typeof system === 'string') return estimateTokens(system);
  let total = 0;
  for (const block of system) if (isTextBlock(block)) total += estimateTokens(block.text);
  return total;
}

function addBlock(parts: InputTokenParts, block: AnthropicContentBlock): void {
  if (isImageBlock(block)) {
    parts.images += imageTokens(block.source);
  } else if (isToolResultBlock(block) && typeof block.content !== 'string') {
    for (const part of block.content ?? []) addBlock(parts, part);
  } else {
    parts.text += blockTextTokens(block);
  }
}

function imageTokens(source: { type: string; data?: unknown; url?: unknown }): number {
  if (source.type === 'base64' && typeof source.data === 'string') return imageTokensForBase64(source.data);
  if (source.type === 'url' && typeof source.url === 'string' && source.url.startsWith('data:')) {
    return imageTokensForBase64(source.url);
  }
  return MAX_IMAGE_TOKENS;
}

function blockTextTokens(block: AnthropicContentBlock): number {
  if (isTextBlock(block)) return estimateTokens(block.text);
  if (isThinkingBlock(block)) return estimateTokens(block.thinking);
  if (isToolUseBlock(block)) return estimateTokens(block.name) + estimateJsonTokens(block.input);
  if (isToolResultBlock(block) && typeof block.content === 'string') return estimateTokens(block.content);
  return 0;
}
