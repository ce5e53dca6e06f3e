/**
 * Search results a client replays in an assistant turn (`web_search_tool_result` blocks, docs/web-search.md),
 * and the results Kiro Dock hands the model between search rounds, as the text Kiro can carry.
 */
import { decodePageText } from './webSearchBlocks.ts';
import type { WebSearchErrorCode, WebSearchHit } from './turnEvents.ts';

/** Page text per result in the model's tool result; Claude Code trims its own results to about this. */
const MAX_PAGE_TEXT_CHARS = 2_000;

/** What the model reads after a search: one numbered entry per result, or why there is none. */
export function searchResultsForModel(
  query: string,
  hits: readonly WebSearchHit[],
  errorCode?: WebSearchErrorCode,
): string {
  if (errorCode === 'max_uses_exceeded') {
    return 'No more searches are allowed for this answer: answer from the results you already have.';
  }
  if (errorCode !== undefined) return `The web search for "${query}" failed (${errorCode}).`;
  if (hits.length === 0) return `The web search for "${query}" found nothing.`;
  const entries = hits.map((hit, index) => {
    const text = (hit.snippet ?? '').slice(0, MAX_PAGE_TEXT_CHARS);
    const age = hit.pageAge ? ` (${hit.pageAge})` : '';
    return `${index + 1}. ${hit.title}${age}\n   ${hit.url}${text ? `\n   ${text}` : ''}`;
  });
  return `Web search results for "${query}":\n\n${entries.join('\n\n')}`;
}

/** A replayed `web_search_tool_result` block as text for the assistant turn it belongs to. */
export function searchResultText(block: { [key: string]: unknown }): string {
  const content = block['content'];
  if (!Array.isArray(content)) return '';
  const hits = content.flatMap((entry: unknown): WebSearchHit[] => {
    const result = entry as Record<string, unknown> | null;
    if (typeof result?.['url'] !== 'string') return [];
    const title = typeof result['title'] === 'string' ? result['title'] : result['url'];
    return [{ title, url: result['url'], snippet: decodePageText(result['encrypted_content']) }];
  });
  if (hits.length === 0) return '';
  const lines = hits.map(
    (hit) => `- ${hit.title} (${hit.url})${hit.snippet ? `: ${hit.snippet.slice(0, 500)}` : ''}`,
  );
  return `[Web search results]\n${lines.join('\n')}`;
}
