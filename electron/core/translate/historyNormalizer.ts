/**
 * Anthropic messages → a strictly alternating list of conversation turns that starts and ends with a user turn
 * (docs/upstream/request-rules.md rules 1–2): consecutive same-role messages merge (Kiro rejects two assistant messages
 * in a row), `role: "system"` messages become user text where they stand, a leading assistant turn gets an
 * empty user turn before it, and a trailing assistant turn (prefill) gets an empty user turn after it.
 */
import type { KiroImage, KiroToolUse } from '../kiro/kiroRequest.ts';
import type { AnthropicContentBlock, AnthropicMessage } from './anthropicRequest.ts';
import {
  contentAsBlocks,
  isImageBlock,
  isTextBlock,
  isThinkingBlock,
  isToolResultBlock,
  isToolUseBlock,
  type ToolResultBlock,
} from './contentBlocks.ts';
import { toKiroImage } from './imageBlocks.ts';
import { toKiroToolInput } from './toolUseInput.ts';
import { searchResultText } from './webSearchHistory.ts';

export interface ToolResultEntry {
  toolUseId: string;
  text: string;
  status: 'success' | 'error';
}

export interface UserTurn {
  role: 'user';
  /** Paragraphs, joined with a blank line when sent. */
  texts: string[];
  images: KiroImage[];
  toolResults: ToolResultEntry[];
}

/** Reasoning the upstream signed (or encrypted), replayed natively when the model takes native reasoning. */
export type SignedReasoning = { text: string; signature: string } | { redactedContent: string };

export interface AssistantTurn {
  role: 'assistant';
  texts: string[];
  thinking: string[];
  signedReasoning: SignedReasoning[];
  /** Tool names are the client's; they are rewritten for Kiro when the body is built. */
  toolUses: KiroToolUse[];
}

export type ConversationTurn = UserTurn | AssistantTurn;

export function toConversationTurns(messages: readonly AnthropicMessage[]): ConversationTurn[] {
  const turns: ConversationTurn[] = [];
  for (const message of messages) {
    const turn = message.role === 'assistant' ? assistantTurn(message.content) : userTurn(message);
    const previous = turns.at(-1);
    if (previous?.role === turn.role) mergeInto(previous, turn);
    else turns.push(turn);
  }
  if (turns[0]?.role !== 'user') turns.unshift(emptyUserTurn());
  if (turns.at(-1)?.role !== 'user') turns.push(emptyUserTurn());
  return turns;
}

function emptyUserTurn(): UserTurn {
  return { role: 'user', texts: [], images: [], toolResults: [] };
}

function userTurn(message: AnthropicMessage): UserTurn {
  const turn = emptyUserTurn();
  for (const block of contentAsBlocks(message.content)) {
    if (isTextBlock(block)) pushText(turn.texts, block.text);
    else if (message.role === 'system') continue;
    else if (isImageBlock(block)) turn.images.push(toKiroImage(block.source));
    else if (isToolResultBlock(block)) turn.toolResults.push(toolResultEntry(block, turn.images));
  }
  return turn;
}

function assistantTurn(content: string | AnthropicContentBlock[]): AssistantTurn {
  const turn: AssistantTurn = {
    role: 'assistant',
    texts: [],
    thinking: [],
    signedReasoning: [],
    toolUses: [],
  };
  for (const block of contentAsBlocks(content)) {
    if (isTextBlock(block)) pushText(turn.texts, block.text);
    else if (isThinkingBlock(block)) {
      pushText(turn.thinking, block.thinking);
      if (block.signature) turn.signedReasoning.push({ text: block.thinking, signature: block.signature });
    } else if (block.type === 'redacted_thinking' && typeof block['data'] === 'string') {
      turn.signedReasoning.push({ redactedContent: block['data'] });
    } else if (block.type === 'web_search_tool_result') pushText(turn.texts, searchResultText(block));
    else if (isToolUseBlock(block)) {
      turn.toolUses.push({ toolUseId: block.id, name: block.name, input: toKiroToolInput(block.input) });
    }
  }
  return turn;
}

/** Images inside a tool result travel on the user message that carries the result. */
function toolResultEntry(block: ToolResultBlock, images: KiroImage[]): ToolResultEntry {
  const status = block.is_error === true ? 'error' : 'success';
  if (typeof block.content === 'string') return { toolUseId: block.tool_use_id, text: block.content, status };
  const texts: string[] = [];
  for (const part of block.content ?? []) {
    if (isTextBlock(part)) pushText(texts, part.text);
    else if (isImageBlock(part)) images.push(toKiroImage(part.source));
  }
  return { toolUseId: block.tool_use_id, text: texts.join('\n'), status };
}

function mergeInto(target: ConversationTurn, source: ConversationTurn): void {
  target.texts.push(...source.texts);
  if (target.role === 'user' && source.role === 'user') {
    target.images.push(...source.images);
    target.toolResults.push(...source.toolResults);
  } else if (target.role === 'assistant' && source.role === 'assistant') {
    target.thinking.push(...source.thinking);
    target.signedReasoning.push(...source.signedReasoning);
    target.toolUses.push(...source.toolUses);
  }
}

/** Whitespace-only text counts as empty: Kiro rejects blank content. */
function pushText(texts: string[], text: string): void {
  if (/\S/.test(text)) texts.push(text);
}
