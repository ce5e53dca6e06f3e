/**
 * The real Claude Code CLI (@anthropic-ai/claude-code, a native binary from npm) through Kiro Dock to the
 * emulator, run offline as in claude-code-traffic.md.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatedSearchResults } from '../emulator/mcpWebSearch.ts';
import { CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

const run = promisify(execFile);
const CLAUDE = path.resolve('node_modules/.bin/claude');

let proxy: ProxyHarness;
let home: string;
let workDir: string;

beforeAll(async () => {
  proxy = await startProxyHarness();
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'claude-home-'));
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'claude-work-'));
});
afterAll(async () => {
  await proxy.close();
  await fs.rm(home, { recursive: true, force: true });
  await fs.rm(workDir, { recursive: true, force: true });
});

interface ClaudeResult {
  is_error: boolean;
  result: string;
  num_turns: number;
  usage: { input_tokens: number; output_tokens: number };
}

async function claude(
  prompt: string,
  extraArgs: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<ClaudeResult> {
  const { stdout } = await run(CLAUDE, ['-p', prompt, '--output-format', 'json', ...extraArgs], {
    cwd: workDir,
    timeout: 90_000,
    env: {
      PATH: '/usr/bin:/bin',
      HOME: home,
      TERM: 'dumb',
      ANTHROPIC_BASE_URL: proxy.url,
      ANTHROPIC_API_KEY: CLIENT_KEY,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_AUTOUPDATER: '1',
      ...extraEnv,
    },
  });
  return JSON.parse(stdout) as ClaudeResult;
}

describe('Claude Code CLI through Kiro Dock', () => {
  it("gets the emulator's canned reply echoing what the user typed, not Claude Code's context", async () => {
    const result = await claude('please list the files here');
    expect(result.is_error).toBe(false);
    expect(result.result).toMatch(/You said: "please list the files here"$/);
  });

  it('answers a plain prompt', async () => {
    const result = await claude('say hi [[reply:Hello from Kiro through Kiro Dock]]');
    expect(result.is_error).toBe(false);
    expect(result.result).toBe('Hello from Kiro through Kiro Dock');
    expect(result.usage.input_tokens).toBeGreaterThan(1000);
    expect(proxy.emulator.strictRejections()).toEqual([]);
  }, 120_000);

  it('runs a tool the model asks for and continues with its result', async () => {
    const command = JSON.stringify({ command: 'echo kiro-dock-tool-ok', description: 'Print a marker' });
    const result = await claude(`run it [[tool:Bash:${command}]]`, ['--allowedTools', 'Bash']);
    expect(result.is_error).toBe(false);
    expect(result.num_turns).toBeGreaterThanOrEqual(2);
    expect(result.result).toContain('Tool results received:');
    expect(result.result).toContain('kiro-dock-tool-ok');
    expect(proxy.emulator.strictRejections()).toEqual([]);
  }, 120_000);

  it('searches the web with its WebSearch tool through Kiro web search', async () => {
    const start = proxy.emulator.requests.length;
    const query = 'kiro dock release notes';
    const result = await claude(`find out [[tool:WebSearch:${JSON.stringify({ query })}]]`, [
      '--allowedTools',
      'WebSearch',
    ]);
    expect(result.is_error).toBe(false);
    const requests = proxy.emulator.requests.slice(start);
    const searches = requests.filter((entry) => entry.operation === 'mcp');
    expect(searches.map((entry) => entry.body)).toMatchObject([{ params: { arguments: { query } } }]);
    // Claude Code's search helper was offered the search function, and the main model got the links back.
    const offered = requests.filter((entry) => JSON.stringify(entry.body).includes('"name":"web_search"'));
    expect(offered.length).toBeGreaterThan(0);
    for (const hit of emulatedSearchResults(query)) expect(result.result).toContain(hit.url);
    expect(proxy.emulator.strictRejections()).toEqual([]);
  }, 120_000);

  it('fetches a page with its WebFetch tool and has the model read it through Kiro Dock', async () => {
    // WebFetch fetches the page itself (https only, names with a dot or an IP), then asks the model about it
    // in a plain request. Its blocklist check goes to api.anthropic.com, not to the base URL: offline it is
    // skipped by the user setting made for that (docs/web-search.md).
    const fixtures = path.resolve('test/integration/fixtures');
    const page = https.createServer(
      {
        key: await fs.readFile(path.join(fixtures, 'loopback-tls-key.pem')),
        cert: await fs.readFile(path.join(fixtures, 'loopback-tls-cert.pem')),
      },
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body><h1>Release notes</h1><p>The marker is webfetch-marker-42.</p></body></html>');
      },
    );
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    try {
      await fs.mkdir(path.join(home, '.claude'), { recursive: true });
      await fs.writeFile(
        path.join(home, '.claude', 'settings.json'),
        JSON.stringify({ skipWebFetchPreflight: true }),
      );
      const url = `https://127.0.0.1:${(page.address() as AddressInfo).port}/notes`;
      const start = proxy.emulator.requests.length;
      const input = JSON.stringify({ url, prompt: 'What is the marker?' });
      const result = await claude(`read it [[tool:WebFetch:${input}]]`, ['--allowedTools', 'WebFetch'], {
        NODE_EXTRA_CA_CERTS: path.join(fixtures, 'loopback-tls-cert.pem'),
      });
      expect(result.is_error).toBe(false);
      const sent = proxy.emulator.requests.slice(start).map((entry) => JSON.stringify(entry.body));
      // The page's text reached the model in the request WebFetch made, and the answer came back to the CLI.
      expect(
        sent.some((body) => body.includes('webfetch-marker-42') && body.includes('What is the marker?')),
      ).toBe(true);
      expect(result.result).toContain('Tool results received:');
      expect(proxy.emulator.strictRejections()).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => page.close(() => resolve()));
    }
  }, 120_000);
});
