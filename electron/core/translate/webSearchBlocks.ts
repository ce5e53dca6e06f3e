/**
 * The Anthropic content blocks of a search Kiro Dock ran for the model, and of redacted reasoning, in the shapes
 * the Anthropic API returns them (docs/web-search.md). Shared by the SSE writer and the JSON answer, so a
 * streamed answer accumulates to the same message.
 *
 * `encrypted_content` is opaque to clients and comes back when they replay the block in a later turn: it holds
 * the page text, base64-encoded, so the next turn can give the model that text again.
 */
import type { TurnEvent, WebSearchHit } from './turnEvents.ts';

export interface ServerToolUseBlock {
  type: 'server_tool_use';
  id: string;
  name: 'web_search';
  input: { query: string };
}

export interface WebSearchResultEntry {
  type: 'web_search_result';
  title: string;
  url: string;
  encrypted_content: string;
  page_age: string | null;
}

export interface WebSearchToolResultBlock {
  type: 'web_search_tool_result';
  tool_use_id: string;
  content: WebSearchResultEntry[] | { type: 'web_search_tool_result_error'; error_code: string };
}

export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export function serverToolUseBlock(
  event: Extract<TurnEvent, { type: 'server_tool_use' }>,
): ServerToolUseBlock {
  return { type: 'server_tool_use', id: event.id, name: event.name, input: event.input };
}

export function webSearchResultBlock(
  event: Extract<TurnEvent, { type: 'web_search_result' }>,
): WebSearchToolResultBlock {
  const content =
    event.errorCode !== undefined
      ? { type: 'web_search_tool_result_error' as const, error_code: event.errorCode }
      : event.hits.map(resultEntry);
  return { type: 'web_search_tool_result', tool_use_id: event.toolUseId, content };
}

export function redactedThinkingBlock(
  event: Extract<TurnEvent, { type: 'redacted_thinking' }>,
): RedactedThinkingBlock {
  return { type: 'redacted_thinking', data: event.data };
}

function resultEntry(hit: WebSearchHit): WebSearchResultEntry {
  return {
    type: 'web_search_result',
    title: hit.title,
    url: hit.url,
    encrypted_content: encodePageText(hit.snippet ?? ''),
    page_age: hit.pageAge ?? null,
  };
}

export function encodePageText(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** The page text of a replayed result; '' when the client sent something Kiro Dock did not write. */
export function decodePageText(encrypted: unknown): string {
  if (typeof encrypted !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(encrypted)) return '';
  return Buffer.from(encrypted, 'base64').toString('utf8');
}
