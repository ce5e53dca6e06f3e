/**
 * Kiro has no system prompt slot (docs/upstream/request-rules.md rule 3). The system prompt is written in front of the
 * conversation's first user message, which is the same message on every turn, so the start of the request stays
 * byte-identical as the conversation grows.
 */
import type { AnthropicRequest } from './anthropicRequest.ts';
import { isTextBlock } from './contentBlocks.ts';

/**
 * Claude Code's first system block is a billing line whose value changes between requests; it means nothing to
 * Kiro and would make every request's prefix different.
 */
const BILLING_HEADER_PREFIX = 'x-anthropic-billing-header:';

/** The client's system prompt as one text: a string, or the text blocks of an array (other blocks ignored). */
export function systemPromptText(system: AnthropicRequest['system']): string {
  if (system === undefined) return '';
  if (typeof system === 'string') return system;
  const texts: string[] = [];
  for (const block of system) {
    if (isTextBlock(block) && /\S/.test(block.text) && !block.text.startsWith(BILLING_HEADER_PREFIX)) {
      texts.push(block.text);
    }
  }
  return texts.join('\n');
}

export interface SystemPromptParts {
  /** Thinking-mode tags; they go first so the model reads them before anything else. */
  thinkingTags?: string;
  systemText: string;
  /** Extra sections (full tool descriptions) appended after the client's own system prompt. */
  sections: readonly string[];
}

/** The text put in front of the first user message; empty when there is nothing to say. */
export function systemPromptPrefix(parts: SystemPromptParts): string {
  const body = [parts.systemText, ...parts.sections].filter((text) => /\S/.test(text)).join('\n\n');
  const tags = parts.thinkingTags === undefined ? '' : `${parts.thinkingTags}\n\n`;
  const wrapped = body === '' ? '' : `--- SYSTEM PROMPT ---\n${body}\n--- END SYSTEM PROMPT ---\n\n`;
  return tags + wrapped;
}
