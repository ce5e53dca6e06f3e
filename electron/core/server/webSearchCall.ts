/**
 * One search for the model: an account from the pool, Kiro's MCP web search, and the request's domain rules
 * applied to what came back (docs/web-search.md). A failed search is a result too (`unavailable`): the model is
 * told and answers without it, as the Anthropic API does.
 */
import { mcpWebSearchRequest, parseMcpWebSearchAnswer } from '../kiro/kiroWebSearch.ts';
import type { WebSearchErrorCode, WebSearchHit } from '../translate/turnEvents.ts';
import { passesDomainRules, type WebSearchConfig } from '../translate/webSearchTool.ts';
import type { TurnDeps } from './runTurn.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

/** What one search came to: results, or the error code the client sees. */
export interface SearchOutcome {
  hits: WebSearchHit[];
  errorCode?: WebSearchErrorCode;
}

/** Longer queries are the client's mistake in the Anthropic API too (`query_too_long`). */
const MAX_QUERY_CHARS = 500;

export async function runWebSearch(
  deps: TurnDeps,
  query: string,
  config: WebSearchConfig,
  context: { sessionKey?: string; signal: AbortSignal },
): Promise<SearchOutcome> {
  if (query.trim() === '') return { hits: [], errorCode: 'invalid_tool_input' };
  if (query.length > MAX_QUERY_CHARS) return { hits: [], errorCode: 'query_too_long' };
  const lease = await deps.accounts.lease({
    sessionKey: context.sessionKey,
    exclude: new Set(),
    signal: context.signal,
  });
  try {
    const answer = await deps.client.callMcp(
      mcpWebSearchRequest(query, deps.clock.now()),
      lease.credential,
      context.signal,
    );
    const hits = parseMcpWebSearchAnswer(answer).filter((hit) => passesDomainRules(hit.url, config));
    return { hits };
  } catch (error) {
    if (context.signal.aborted) throw error;
    deps.logger.warn({ account: lease.accountId, error: errorMessage(error) }, 'Kiro web search failed');
    return { hits: [], errorCode: 'unavailable' };
  } finally {
    lease.release();
  }
}
