/**
 * The neutral shape of one assistant turn as it streams: what both client dialects (Anthropic SSE/JSON and
 * OpenAI chunks/JSON) are rendered from. Produced by `createTurnAssembler` from Kiro events, so thinking-tag
 * splitting, tool-name restoration and tool fragment bookkeeping happen once.
 */
import type { WebSearchHit } from '../kiro/kiroWebSearch.ts';

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'model_context_window_exceeded';

export interface TurnUsage {
  /** Uncached input tokens, as Anthropic counts them. */
  inputTokens: number;
  outputTokens: number;
  /** Present only when the upstream reported it: absent stays absent, never a made-up 0. */
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
  /** Kiro credits charged for the turn (the sum of its meteringEvents), when reported. */
  credits?: number;
  /** Web searches Kiro Dock ran for the turn (docs/web-search.md); absent when the turn had no search tool. */
  webSearchRequests?: number;
  /**
   * Kiro's own count of the whole input (tokenUsage, else contextUsagePercentage × the model's window), when it
   * reported one: what the local estimate is calibrated against. Never shown to clients as such.
   */
  upstreamInputTokens?: number;
}

/** One web search result as the client sees it; parsed from Kiro's MCP answer in `kiro/`. */
export type { WebSearchHit };

/** Why a search gave no results: the Anthropic API's `web_search_tool_result_error` codes. */
export type WebSearchErrorCode =
  'max_uses_exceeded' | 'unavailable' | 'invalid_tool_input' | 'query_too_long';

export type TurnEvent =
  | { type: 'thinking_delta'; text: string }
  | { type: 'thinking_signature'; signature: string }
  /** Reasoning the upstream returned encrypted (native reasoning only); sent back verbatim in later turns. */
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text_delta'; text: string }
  /** A tool call starts; `name` is the client's original tool name. */
  | { type: 'tool_start'; id: string; name: string }
  | { type: 'tool_input_delta'; id: string; partialJson: string }
  | { type: 'tool_stop'; id: string }
  /** A search Kiro Dock ran for the model (server tool), and what it found. */
  | { type: 'server_tool_use'; id: string; name: 'web_search'; input: { query: string } }
  | { type: 'web_search_result'; toolUseId: string; hits: WebSearchHit[]; errorCode?: WebSearchErrorCode }
  | { type: 'end'; stopReason: StopReason; usage: TurnUsage };
