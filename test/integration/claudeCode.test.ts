/**
 * The real Claude Code CLI (@anthropic-ai/claude-code, a native binary from npm) through Kiro Dock to the
 * emulator, run offline as in claude-code-traffic.md.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function claude(prompt: string, extraArgs: string[] = []): Promise<ClaudeResult> {
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
});
