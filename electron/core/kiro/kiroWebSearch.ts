/**
 * Kiro's web search: a JSON-RPC 2.0 `tools/call` of the `web_search` tool on the MCP endpoint, answered with one
 * text content item that holds the results as a JSON string (docs/web-search.md). Request building and answer
 * parsing are pure; the call itself goes through KiroClient.callMcp.
 */
import { randomBytes } from 'node:crypto';
import { UpstreamError } from './upstreamError.ts';
import { asJsonObject } from '../json/parseJsonObject.ts';

export interface McpWebSearchRequest {
  id: string;
  jsonrpc: '2.0';
  method: 'tools/call';
  params: { name: 'web_search'; arguments: { query: string } };
}

/** One web search result as the client sees it. */
export interface WebSearchHit {
  title: string;
  url: string;
  /** The page text the search service returned; travels to Anthropic clients inside `encrypted_content`. */
  snippet?: string;
  /** How old the page is, as the search service dated it (e.g. "March 3, 2026"). */
  pageAge?: string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The id looks like the Kiro IDE's own: `web_search_tooluse_<22 random>_<epoch ms>_<8 random>`. */
export function mcpWebSearchRequest(query: string, nowMs: number): McpWebSearchRequest {
  return {
    id: `web_search_tooluse_${randomText(22, ALPHANUMERIC)}_${nowMs}_${randomText(8, ALPHANUMERIC.slice(26).toLowerCase())}`,
    jsonrpc: '2.0',
    method: 'tools/call',
    params: { name: 'web_search', arguments: { query } },
  };
}

/** The results of an MCP answer; throws an UpstreamError when Kiro reported an error or sent another shape. */
export function parseMcpWebSearchAnswer(answer: unknown): WebSearchHit[] {
  const object = asJsonObject(answer);
  const error = asJsonObject(object?.['error']);
  if (error !== undefined) {
    throw new UpstreamError(
      'server_error',
      `Kiro's web search failed: ${typeof error['message'] === 'string' ? error['message'] : 'no message'}`,
    );
  }
  const result = asJsonObject(object?.['result']);
  const content = Array.isArray(result?.['content']) ? (result['content'] as unknown[]) : [];
  const text = content.map(asJsonObject).find((item) => item?.['type'] === 'text')?.['text'];
  if (result?.['isError'] === true || typeof text !== 'string') {
    throw new UpstreamError('server_error', "Kiro's web search answered without results");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UpstreamError('server_error', "Kiro's web search results are not JSON");
  }
  const results = asJsonObject(parsed)?.['results'];
  return Array.isArray(results) ? results.flatMap(toHit) : [];
}

function toHit(entry: unknown): WebSearchHit[] {
  const result = asJsonObject(entry);
  const title = result?.['title'];
  const url = result?.['url'];
  if (typeof url !== 'string' || url === '') return [];
  const hit: WebSearchHit = { title: typeof title === 'string' ? title : url, url };
  if (typeof result?.['snippet'] === 'string') hit.snippet = result['snippet'];
  const published = result?.['publishedDate'];
  if (typeof published === 'number' && Number.isFinite(published)) hit.pageAge = pageAge(published);
  return [hit];
}

/** `publishedDate` is epoch milliseconds; Anthropic's `page_age` reads like "March 3, 2026". */
function pageAge(epochMs: number): string {
  return new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(epochMs);
}

function randomText(length: number, alphabet: string): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += alphabet[byte % alphabet.length];
  return text;
}
