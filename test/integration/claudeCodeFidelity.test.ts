/**
 * The real Claude Code CLI through Kiro Dock to the emulator (offline, as in claudeCode.test.ts): the usage it
 * is told, 1M-context model names, and upstream failures that Kiro Dock absorbs without hammering the account.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecentRequestsResponse } from '../../shared/adminApi.ts';
import { noisePng } from '../support/noisePng.ts';
import { adminRequest } from './adminHttp.ts';
import { CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

const run = promisify(execFile);
const CLAUDE = path.resolve('node_modules/.bin/claude');

let proxy: ProxyHarness;
let home: string;

beforeAll(async () => {
  proxy = await startProxyHarness();
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'claude-home-'));
});
afterAll(async () => {
  await proxy.close();
  await fs.rm(home, { recursive: true, force: true });
});
beforeEach(() => proxy.emulator.setFault(undefined));

interface ClaudeResult {
  is_error: boolean;
  result: string;
  usage: { input_tokens: number; cache_read_input_tokens?: number; cache_creation_input_tokens?: number };
}

async function claude(prompt: string, extraArgs: string[] = []): Promise<ClaudeResult> {
  const { stdout } = await run(CLAUDE, ['-p', prompt, '--output-format', 'json', ...extraArgs], {
    cwd: home,
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
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '{}' }));
  return JSON.parse(stdout) as ClaudeResult;
}

const chatCalls = () =>
  proxy.emulator.requests.filter((entry) => entry.operation === 'generateAssistantResponse');
const modelSent = () =>
  (
    chatCalls().at(-1)?.body as {
      conversationState: { currentMessage: { userInputMessage: { modelId: string } } };
    }
  ).conversationState.currentMessage.userInputMessage.modelId;

async function lastLoggedRequest() {
  const answer = await adminRequest(proxy.url, 'GET', '/admin/requests?limit=1');
  return answer.json<RecentRequestsResponse>().requests[0]!;
}

describe('Claude Code: usage it can trust', () => {
  it('is told the figure Kiro Dock reports everywhere, split by cache use, and the turn’s credits are logged', async () => {
    await claude('warm up the calibration [[reply:ok]]');
    const result = await claude('say hi [[reply:Hello]] [[cache-read:1200]] [[cache-write:300]]');
    expect(result.is_error).toBe(false);
    const logged = await lastLoggedRequest();
    expect(result.usage.input_tokens).toBe(logged.inputTokens);
    expect(result.usage.cache_read_input_tokens).toBe(1200);
    expect(result.usage.cache_creation_input_tokens).toBe(300);
    expect(typeof logged.credits).toBe('number');
    expect(logged.credits).toBeGreaterThan(0);
    // The whole input, as Claude Code adds it up to decide when to compact, is close to what Kiro counted.
    const whole = result.usage.input_tokens + 1200 + 300;
    const kiroBytes = Buffer.byteLength(JSON.stringify(chatCalls().at(-1)!.body));
    expect(Math.abs(whole - kiroBytes / 4) / (kiroBytes / 4)).toBeLessThan(0.05);
  }, 200_000);
});

describe('Claude Code: an image read by its Read tool', () => {
  it('costs the image’s pixels in the figure, not its 136 KB of base64', async () => {
    const shot = path.join(home, 'shot.png');
    await fs.writeFile(shot, Buffer.from(noisePng(200, 170), 'base64'));
    const read = JSON.stringify({ file_path: shot });
    const result = await claude(`look at it [[tool:Read:${read}]]`, ['--allowedTools', 'Read']);
    expect(result.is_error).toBe(false);
    const logged = await lastLoggedRequest();
    const figure =
      logged.inputTokens! + (logged.cacheReadInputTokens ?? 0) + (logged.cacheCreationInputTokens ?? 0);
    const body = chatCalls().at(-1)!.body as {
      conversationState: {
        currentMessage: { userInputMessage: { images?: Array<{ source: { bytes: string } }> } };
      };
    };
    const base64 = (body.conversationState.currentMessage.userInputMessage.images ?? [])
      .map((image) => image.source.bytes.length)
      .reduce((sum, length) => sum + length, 0);
    expect(base64 / 4).toBeGreaterThan(30_000);
    // What the upstream counts for this body: its text (bytes ÷ 4) and the image's 46 pixel tokens.
    const upstream = (Buffer.byteLength(JSON.stringify(body)) - base64) / 4 + 46;
    expect(Math.abs(figure - upstream) / upstream).toBeLessThan(0.1);
  }, 200_000);
});

describe('Claude Code: 1M-context model names', () => {
  it('runs claude-sonnet-4-5[1m] on a Kiro model that takes a million input tokens', async () => {
    const result = await claude('say hi [[reply:big window]]', ['--model', 'claude-sonnet-4-5[1m]']);
    expect(result.is_error).toBe(false);
    expect(result.result).toBe('big window');
    expect(modelSent()).toBe('claude-sonnet-4.6');
  }, 120_000);

  it('is told the real limit when no model of the family takes a million', async () => {
    const result = await claude('say hi', ['--model', 'claude-haiku-4-5[1m]']);
    expect(result.is_error).toBe(true);
    expect(result.result).toMatch(/at most 200,000 input tokens/);
  }, 120_000);
});

describe('Claude Code: failures that spare the account', () => {
  it('a ThrottlingException frame before any output is retried once by Kiro Dock and the answer arrives', async () => {
    proxy.emulator.setFault({ kind: 'throttling-exception', times: 1 });
    const before = chatCalls().length;
    const result = await claude('say hi [[reply:after the throttle]]');
    expect(result.result).toBe('after the throttle');
    expect(chatCalls().length - before).toBe(2);
  }, 120_000);

  it('a lone 402 while credits are left is checked and retried, not reported as an exhausted account', async () => {
    proxy.emulator.setFault({ kind: '402', times: 1 });
    const result = await claude('say hi [[reply:still here]]');
    expect(result.is_error).toBe(false);
    expect(result.result).toBe('still here');
  }, 120_000);
});
