/**
 * `POST /mcp`: Kiro's web search as JSON-RPC 2.0 (docs/web-search.md). Strict like the real endpoint is about the
 * shapes it serves: the envelope, the id format the IDE uses, the one tool name, a query. Results are computed
 * from the query alone, so tests can predict them: four pages on four fixed domains.
 */
import { createHash } from 'node:crypto';
import type { BearerCredential } from './accountStore.ts';
import type { EmulatorRequestLogEntry, EmulatorState } from './emulatorState.ts';
import { BEARER_TOKEN_INVALID } from './faults.ts';
import type { JsonReply } from './jsonReply.ts';

const REQUEST_ID = /^web_search_tooluse_[A-Za-z0-9]{22}_\d{13}_[a-z0-9]{8}$/;
/** A query holding this fails upstream, for tests of the failure path. */
export const FAILING_SEARCH_MARKER = 'search-outage';
export const SEARCH_DOMAINS = ['kiro.dev', 'docs.aws.amazon.com', 'github.com', 'en.wikipedia.org'] as const;

export interface EmulatedSearchResult {
  title: string;
  url: string;
  snippet: string;
  publishedDate: number;
  id: string;
  domain: string;
}

export function answerMcp(
  state: EmulatorState,
  entry: EmulatorRequestLogEntry,
  authorization: BearerCredential,
): JsonReply {
  const account = state.accounts.authenticate(authorization);
  if (!account) return { status: 403, body: BEARER_TOKEN_INVALID };
  entry.accountId = account.id;
  const problem = mcpProblem(entry.body);
  if (problem !== undefined && state.settings.strict) {
    entry.strictRejection = problem;
    return { status: 400, body: { message: 'Improperly formed request.', reason: null } };
  }
  const request = (entry.body ?? {}) as { id?: string; params?: { arguments?: { query?: unknown } } };
  const query = typeof request.params?.arguments?.query === 'string' ? request.params.arguments.query : '';
  if (query.includes(FAILING_SEARCH_MARKER)) {
    return {
      status: 200,
      body: {
        id: request.id,
        jsonrpc: '2.0',
        error: { code: -32603, message: 'Search backend unavailable' },
      },
    };
  }
  const results = emulatedSearchResults(query);
  const text = JSON.stringify({ results, totalResults: results.length, query });
  return {
    status: 200,
    body: { id: request.id, jsonrpc: '2.0', result: { content: [{ type: 'text', text }], isError: false } },
  };
}

export function emulatedSearchResults(query: string): EmulatedSearchResult[] {
  const slug =
    query
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'page';
  const digest = createHash('sha256').update(query).digest();
  return SEARCH_DOMAINS.map((domain, index) => ({
    title: `${query} — result ${index + 1} on ${domain}`,
    url: `https://${domain}/${slug}/${index + 1}`,
    snippet: `Page ${index + 1} about "${query}" from ${domain}.`,
    // A fixed day in 2026 per query and rank: the same query always dates its pages alike.
    publishedDate: Date.UTC(2026, digest[index]! % 12, 1 + (digest[index + 4]! % 28)),
    id: `result-${digest.toString('hex').slice(0, 8)}-${index + 1}`,
    domain,
  }));
}

function mcpProblem(body: unknown): string | undefined {
  const request = body as Record<string, unknown> | undefined;
  if (typeof request !== 'object' || request === null) return 'mcp: body is not a JSON object';
  if (request['jsonrpc'] !== '2.0') return 'mcp: jsonrpc is not "2.0"';
  if (typeof request['id'] !== 'string' || !REQUEST_ID.test(request['id']))
    return `mcp: id ${JSON.stringify(request['id'])} is not web_search_tooluse_<22>_<ms>_<8>`;
  if (request['method'] !== 'tools/call')
    return `mcp: method ${JSON.stringify(request['method'])} is not tools/call`;
  const params = request['params'] as Record<string, unknown> | undefined;
  if (params?.['name'] !== 'web_search') return 'mcp: params.name is not web_search';
  const args = params['arguments'] as Record<string, unknown> | undefined;
  if (typeof args?.['query'] !== 'string' || args['query'].trim() === '')
    return 'mcp: arguments.query is missing';
  const extra = Object.keys(args).filter((key) => key !== 'query');
  if (extra.length > 0) return `mcp: unknown arguments ${extra.join(', ')}`;
  return undefined;
}
