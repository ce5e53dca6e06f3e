import { describe, expect, it } from 'vitest';
import { mcpWebSearchRequest, parseMcpWebSearchAnswer } from '../../electron/core/kiro/kiroWebSearch.ts';
import { UpstreamError } from '../../electron/core/kiro/upstreamError.ts';
import { RequestError } from '../../electron/core/translate/requestError.ts';
import { passesDomainRules, webSearchConfigOf } from '../../electron/core/translate/webSearchTool.ts';
import { thrownBy } from './thrownBy.ts';

const tool = (extra: Record<string, unknown> = {}) => ({
  tools: [{ type: 'web_search_20250305', name: 'web_search', ...extra }],
});

describe('web search tool settings', () => {
  it('reads max_uses and the domain rules, normalised', () => {
    expect(webSearchConfigOf({ tools: [{ name: 'Bash' }] })).toBeUndefined();
    expect(webSearchConfigOf(tool())).toEqual({ maxUses: 5, allowedDomains: [], blockedDomains: [] });
    expect(
      webSearchConfigOf(tool({ max_uses: 99, allowed_domains: ['https://www.Kiro.dev/docs/'] })),
    ).toEqual({
      maxUses: 20,
      allowedDomains: ['kiro.dev/docs'],
      blockedDomains: [],
    });
  });

  it('refuses settings the Anthropic API refuses', () => {
    for (const bad of [
      { max_uses: 0 },
      { max_uses: 1.5 },
      { allowed_domains: 'kiro.dev' },
      { blocked_domains: [''] },
    ]) {
      expect(thrownBy(() => webSearchConfigOf(tool(bad)), RequestError).message).toMatch(/web_search/);
    }
    const both = thrownBy(
      () => webSearchConfigOf(tool({ allowed_domains: ['a.com'], blocked_domains: ['b.com'] })),
      RequestError,
    );
    expect(both.message).toMatch(/allowed_domains or blocked_domains, not both/);
  });

  it('matches domains with their subdomains and paths', () => {
    const allowed = { maxUses: 1, allowedDomains: ['kiro.dev', 'aws.amazon.com/docs'], blockedDomains: [] };
    expect(passesDomainRules('https://kiro.dev/x', allowed)).toBe(true);
    expect(passesDomainRules('https://www.kiro.dev/x', allowed)).toBe(true);
    expect(passesDomainRules('https://docs.kiro.dev/x', allowed)).toBe(true);
    expect(passesDomainRules('https://notkiro.dev/x', allowed)).toBe(false);
    expect(passesDomainRules('https://aws.amazon.com/docs/q', allowed)).toBe(true);
    expect(passesDomainRules('https://aws.amazon.com/blog', allowed)).toBe(false);
    expect(passesDomainRules('not a url', allowed)).toBe(false);
    const blocked = { maxUses: 1, allowedDomains: [], blockedDomains: ['github.com'] };
    expect(passesDomainRules('https://gist.github.com/a', blocked)).toBe(false);
    expect(passesDomainRules('https://gitlab.com/a', blocked)).toBe(true);
  });
});

describe("Kiro's MCP web search", () => {
  it('builds the request the IDE sends', () => {
    const request = mcpWebSearchRequest('kiro', Date.UTC(2026, 11, 2));
    expect(request).toMatchObject({
      jsonrpc: '2.0',
      method: 'tools/call',
      params: { name: 'web_search', arguments: { query: 'kiro' } },
    });
    expect(request.id).toMatch(/^web_search_tooluse_[A-Za-z0-9]{22}_1796169600000_[a-z0-9]{8}$/);
  });

  it('parses results and refuses errors and other shapes', () => {
    const text = JSON.stringify({
      results: [
        { title: 'T', url: 'https://kiro.dev', snippet: 'S', publishedDate: Date.UTC(2026, 2, 3) },
        { title: 'no url' },
      ],
    });
    expect(
      parseMcpWebSearchAnswer({ result: { content: [{ type: 'text', text }], isError: false } }),
    ).toEqual([{ title: 'T', url: 'https://kiro.dev', snippet: 'S', pageAge: 'March 3, 2026' }]);
    for (const answer of [
      { error: { code: -32603, message: 'down' } },
      { result: { content: [], isError: false } },
      { result: { content: [{ type: 'text', text: 'not json' }], isError: false } },
      { result: { content: [{ type: 'text', text }], isError: true } },
    ]) {
      expect(thrownBy(() => parseMcpWebSearchAnswer(answer), UpstreamError).kind).toBe('server_error');
    }
  });
});
