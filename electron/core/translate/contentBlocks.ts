/**
 * Type guards for Anthropic content blocks. The request schema keeps unknown block types as loose objects, so a
 * block whose `type` says "text" is only trusted once its fields have the right shape too.
 */
import type { z } from 'zod';
import type {
  AnthropicContentBlock,
  imageBlockSchema,
  textBlockSchema,
  thinkingBlockSchema,
  toolResultBlockSchema,
  toolUseBlockSchema,
} from './anthropicRequest.ts';

export type TextBlock = z.infer<typeof textBlockSchema>;
export type ImageBlock = z.infer<typeof imageBlockSchema>;
export type ToolUseBlock = z.infer<typeof toolUseBlockSchema>;
export type ToolResultBlock = z.infer<typeof toolResultBlockSchema>;
export type ThinkingBlock = z.infer<typeof thinkingBlockSchema>;

type LooseBlock = { type: string; [key: string]: unknown };

export function isTextBlock(block: LooseBlock): block is TextBlock {
  return block.type === 'text' && typeof block.text === 'string';
}

export function isImageBlock(block: LooseBlock): block is ImageBlock {
  return block.type === 'image' && typeof block.source === 'object' && block.source !== null;
}

export function isToolUseBlock(block: LooseBlock): block is ToolUseBlock {
  return block.type === 'tool_use' && typeof block.id === 'string' && typeof block.name === 'string';
}

export function isToolResultBlock(block: LooseBlock): block is ToolResultBlock {
  return block.type === 'tool_result' && typeof block.tool_use_id === 'string';
}

export function isThinkingBlock(block: LooseBlock): block is ThinkingBlock {
  return block.type === 'thinking' && typeof block.thinking === 'string';
}

/** A message's content as blocks: a plain string is one text block. */
export function contentAsBlocks(content: string | AnthropicContentBlock[]): AnthropicContentBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}
