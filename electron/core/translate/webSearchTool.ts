/**
 * The Anthropic web search server tool (`web_search_20250305`) as Kiro Dock serves it (docs/web-search.md): Kiro
 * has no server tools, so the model is offered an ordinary `web_search` function; when it calls it, Kiro Dock runs
 * the search through Kiro's MCP endpoint and hands the model the results in the next round.
 */
import type { KiroToolSpecification } from '../kiro/kiroRequest.ts';
import type { AnthropicRequest, AnthropicTool } from './anthropicRequest.ts';
import { RequestError } from './requestError.ts';

export const WEB_SEARCH_TOOL_TYPE = 'web_search_20250305';
/** The function the model calls; Kiro's own search tool carries the same name. */
export const WEB_SEARCH_FUNCTION = 'web_search';
/** When the client sets no `max_uses`: enough for a research answer, few enough to bound one request's cost. */
export const DEFAULT_MAX_SEARCHES = 5;
const MAX_SEARCHES_LIMIT = 20;

export interface WebSearchConfig {
  maxUses: number;
  allowedDomains: string[];
  blockedDomains: string[];
}

/** The search settings when the request offers the web search server tool, else undefined. */
export function webSearchConfigOf(request: Pick<AnthropicRequest, 'tools'>): WebSearchConfig | undefined {
  const tool = request.tools?.find(isWebSearchServerTool);
  if (tool === undefined) return undefined;
  const allowedDomains = domainList(tool, 'allowed_domains');
  const blockedDomains = domainList(tool, 'blocked_domains');
  if (allowedDomains.length > 0 && blockedDomains.length > 0) {
    throw new RequestError(
      'tools: the web_search tool takes allowed_domains or blocked_domains, not both (as the Anthropic API)',
    );
  }
  return { maxUses: maxUsesOf(tool), allowedDomains, blockedDomains };
}

export function isWebSearchServerTool(tool: AnthropicTool): boolean {
  return typeof tool.type === 'string' && tool.type.startsWith('web_search_');
}

/** The function offered to the model in place of the server tool. */
export function webSearchToolSpecification(config: WebSearchConfig): KiroToolSpecification {
  const scope =
    config.allowedDomains.length > 0
      ? ` Only results from ${config.allowedDomains.join(', ')} are returned.`
      : config.blockedDomains.length > 0
        ? ` Results from ${config.blockedDomains.join(', ')} are left out.`
        : '';
  return {
    toolSpecification: {
      name: WEB_SEARCH_FUNCTION,
      description:
        'Search the web for current information. Returns the titles, addresses and page text of the best ' +
        `matching pages; cite the addresses you use.${scope}`,
      inputSchema: {
        json: {
          type: 'object',
          properties: { query: { type: 'string', description: 'The search query' } },
          required: ['query'],
        },
      },
    },
  };
}

function maxUsesOf(tool: AnthropicTool): number {
  const value = (tool as { max_uses?: unknown }).max_uses;
  if (value === undefined || value === null) return DEFAULT_MAX_SEARCHES;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RequestError('tools: web_search max_uses must be a positive whole number');
  }
  return Math.min(value, MAX_SEARCHES_LIMIT);
}

function domainList(tool: AnthropicTool, key: 'allowed_domains' | 'blocked_domains'): string[] {
  const value = (tool as Record<string, unknown>)[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string' && entry.trim() !== '')) {
    throw new RequestError(`tools: web_search ${key} must be a list of domain names`);
  }
  return value.map((domain: string) => normaliseDomain(domain));
}

/** `https://www.Example.com/docs` → `example.com/docs`: what domain rules are compared with. */
function normaliseDomain(domain: string): string {
  return domain
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/+$/, '');
}

/** Whether a result's address passes the request's domain rules (subdomains included, as the Anthropic API). */
export function passesDomainRules(url: string, config: WebSearchConfig): boolean {
  let address: URL;
  try {
    address = new URL(url);
  } catch {
    return false;
  }
  const host = address.hostname.toLowerCase().replace(/^www\./, '');
  const matches = (rule: string) => {
    const [ruleHost = '', ...path] = rule.split('/');
    const hostMatches = host === ruleHost || host.endsWith(`.${ruleHost}`);
    return hostMatches && (path.length === 0 || address.pathname.startsWith(`/${path.join('/')}`));
  };
  if (config.allowedDomains.length > 0) return config.allowedDomains.some(matches);
  return !config.blockedDomains.some(matches);
}
