/**
 * The web search server tool through Kiro Dock (docs/web-search.md), with the official Anthropic SDK against the
 * emulator's strict /mcp: searches run through Kiro, results come back as server_tool_use and
 * web_search_tool_result blocks, the model answers from them, and max_uses and domain rules hold.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatedSearchResults, FAILING_SEARCH_MARKER } from '../emulator/mcpWebSearch.ts';
import { CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness;
let client: Anthropic;

beforeAll(async () => {
  proxy = await startProxyHarness();
  client = new Anthropic({ baseURL: proxy.url, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(async () => {
  expect(proxy.emulator.strictRejections()).toEqual([]);
  await proxy.close();
});

type SearchTool = Anthropic.Messages.WebSearchTool20250305;
const searchTool = (extra: Partial<SearchTool> = {}): SearchTool => ({
  type: 'web_search_20250305',
  name: 'web_search',
  ...extra,
});

function mcpCallsSince(start: number) {
  return proxy.emulator.requests.slice(start).filter((entry) => entry.operation === 'mcp');
}

function resultUrls(block: Anthropic.Messages.ContentBlock): string[] {
  if (block.type !== 'web_search_tool_result' || !Array.isArray(block.content)) return [];
  return block.content.map((result) => result.url);
}

describe('web search through Kiro Dock', () => {
  it('streams the search blocks in order and lets the model answer with the results', async () => {
    const start = proxy.emulator.requests.length;
    const message = await client.messages
      .stream({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        tools: [searchTool({ max_uses: 3 })],
        messages: [{ role: 'user', content: 'What is new? [[search:kiro dock release]]' }],
      })
      .finalMessage();
    expect(message.content.map((block) => block.type)).toEqual([
      'text',
      'server_tool_use',
      'web_search_tool_result',
      'text',
    ]);
    const [, use, result, answer] = message.content as [
      Anthropic.Messages.ContentBlock,
      Anthropic.Messages.ServerToolUseBlock,
      Anthropic.Messages.WebSearchToolResultBlock,
      Anthropic.Messages.TextBlock,
    ];
    expect(use).toMatchObject({
      type: 'server_tool_use',
      name: 'web_search',
      input: { query: 'kiro dock release' },
    });
    expect(use.id).toMatch(/^srvtoolu_/);
    expect(result).toMatchObject({ type: 'web_search_tool_result', tool_use_id: use.id });
    const expected = emulatedSearchResults('kiro dock release');
    expect(resultUrls(result)).toEqual(expected.map((hit) => hit.url));
    // The model read the results: the emulator echoes the tool result it was given.
    expect(answer.text).toContain(expected[0]!.url);
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1 });
    expect(message.stop_reason).toBe('end_turn');
    const calls = mcpCallsSince(start);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toMatchObject({
      jsonrpc: '2.0',
      method: 'tools/call',
      params: { name: 'web_search', arguments: { query: 'kiro dock release' } },
    });
  });

  it('answers the same blocks as JSON, with the page text opaque in encrypted_content', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [searchTool()],
      messages: [{ role: 'user', content: 'Look it up [[search:event stream framing]]' }],
    });
    expect(message.content.map((block) => block.type)).toEqual([
      'text',
      'server_tool_use',
      'web_search_tool_result',
      'text',
    ]);
    const result = message.content[2]!;
    if (result.type !== 'web_search_tool_result' || !Array.isArray(result.content))
      throw new Error('no results');
    const first = emulatedSearchResults('event stream framing')[0]!;
    expect(result.content[0]).toMatchObject({
      type: 'web_search_result',
      title: first.title,
      url: first.url,
    });
    expect(Buffer.from(result.content[0]!.encrypted_content, 'base64').toString()).toBe(first.snippet);
    expect(result.content[0]!.page_age).toMatch(/^[A-Z][a-z]+ \d{1,2}, 2026$/);
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1 });
  });

  it('runs at most max_uses searches and tells the model when it asks for more', async () => {
    const start = proxy.emulator.requests.length;
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [searchTool({ max_uses: 2 })],
      messages: [{ role: 'user', content: 'Dig deep [[search:one]] [[search:two]] [[search:three]]' }],
    });
    const results = message.content.filter((block) => block.type === 'web_search_tool_result');
    expect(results).toHaveLength(3);
    expect(results[2]!.content).toEqual({
      type: 'web_search_tool_result_error',
      error_code: 'max_uses_exceeded',
    });
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 2 });
    expect(
      mcpCallsSince(start).map(
        (entry) => (entry.body as { params: { arguments: { query: string } } }).params.arguments.query,
      ),
    ).toEqual(['one', 'two']);
    expect(message.content.at(-1)).toMatchObject({ type: 'text' });
  });

  it('keeps only allowed domains, or leaves blocked ones out', async () => {
    const allowed = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [searchTool({ allowed_domains: ['kiro.dev', 'https://docs.aws.amazon.com'] })],
      messages: [{ role: 'user', content: 'Only docs [[search:profile arn]]' }],
    });
    const allowedUrls = allowed.content.flatMap(resultUrls);
    expect(allowedUrls.map((url) => new URL(url).hostname)).toEqual(['kiro.dev', 'docs.aws.amazon.com']);
    const blocked = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [searchTool({ blocked_domains: ['github.com', 'wikipedia.org'] })],
      messages: [{ role: 'user', content: 'No forums [[search:profile arn]]' }],
    });
    expect(blocked.content.flatMap(resultUrls).map((url) => new URL(url).hostname)).toEqual([
      'kiro.dev',
      'docs.aws.amazon.com',
    ]);
  });

  it('reports a failed search as unavailable and still answers', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [searchTool()],
      messages: [{ role: 'user', content: `Try [[search:${FAILING_SEARCH_MARKER} now]]` }],
    });
    const result = message.content.find((block) => block.type === 'web_search_tool_result');
    expect(result?.content).toEqual({ type: 'web_search_tool_result_error', error_code: 'unavailable' });
    expect(message.content.at(-1)).toMatchObject({ type: 'text' });
    expect(message.stop_reason).toBe('end_turn');
  });

  it('rejects allowed_domains together with blocked_domains in the Anthropic error shape', async () => {
    const failure = await client.messages
      .create({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        tools: [searchTool({ allowed_domains: ['kiro.dev'], blocked_domains: ['github.com'] })],
        messages: [{ role: 'user', content: 'Search' }],
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
    expect((failure as InstanceType<typeof Anthropic.BadRequestError>).message).toMatch(
      /allowed_domains or blocked_domains/,
    );
  });

  it('replays earlier search results in history as text the model can read', async () => {
    const first = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [searchTool()],
      messages: [{ role: 'user', content: 'Find it [[search:replay me]]' }],
    });
    const start = proxy.emulator.requests.length;
    const next = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [searchTool()],
      messages: [
        // The question without its directive, so the emulated model does not search again.
        { role: 'user', content: 'Find it' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: 'Thanks [[reply:noted]]' },
      ],
    });
    expect(next.content).toMatchObject([{ type: 'text', text: 'noted' }]);
    const sent = JSON.stringify(proxy.emulator.requests[start]!.body);
    expect(sent).toContain(JSON.stringify(emulatedSearchResults('replay me')[0]!.snippet).slice(1, -1));
    expect(mcpCallsSince(start)).toEqual([]);
  });

  it('serves the Responses API built-in web_search as web_search_call items, streamed and not', async () => {
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    const start = proxy.emulator.requests.length;
    const response = await openai.responses.create({
      model: 'claude-sonnet-4-5',
      tools: [{ type: 'web_search', filters: { allowed_domains: ['kiro.dev'] } }],
      input: 'Look up [[search:codex web search]]',
    });
    expect(response.output.map((item) => item.type)).toEqual(['message', 'web_search_call', 'message']);
    expect(response.output[1]).toMatchObject({
      type: 'web_search_call',
      status: 'completed',
      action: { type: 'search', query: 'codex web search' },
    });
    const kiroUrl = emulatedSearchResults('codex web search')[0]!.url;
    expect(response.output_text).toContain(kiroUrl);
    expect(response.output_text).not.toContain('github.com');
    expect(mcpCallsSince(start)).toHaveLength(1);

    const events: string[] = [];
    const stream = openai.responses.stream({
      model: 'claude-sonnet-4-5',
      tools: [{ type: 'web_search' }],
      input: 'Again [[search:codex web search]]',
    });
    stream.on('event', (event) => events.push(event.type));
    const streamed = await stream.finalResponse();
    expect(streamed.output.map((item) => item.type)).toEqual(['message', 'web_search_call', 'message']);
    expect(events).toEqual(
      expect.arrayContaining([
        'response.web_search_call.in_progress',
        'response.web_search_call.searching',
        'response.web_search_call.completed',
        'response.completed',
      ]),
    );
  });
});
