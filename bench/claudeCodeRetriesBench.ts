/**
 * `npx tsx bench/claudeCodeRetriesBench.ts` — upstream calls one `claude -p` costs (the real Claude Code CLI,
 * its own retries included) when every Kiro answer is a 429, a cut stream or a bad CRC. Slow: Claude Code
 * backs off between its retries.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FaultKind } from '../test/emulator/faults.ts';
import { CLIENT_KEY, startProxyHarness } from '../test/integration/proxyHarness.ts';

const run = promisify(execFile);
const CLAUDE = path.resolve('node_modules/.bin/claude');

async function claudeUnder(fault: FaultKind): Promise<{ calls: number; seconds: number; result: string }> {
  const proxy = await startProxyHarness();
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'claude-home-'));
  const started = performance.now();
  try {
    proxy.emulator.setFault({ kind: fault });
    const output = await run(CLAUDE, ['-p', 'say hi', '--output-format', 'json'], {
      cwd: home,
      timeout: 600_000,
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
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const parsed = JSON.parse(output.stdout || '{}') as { is_error?: boolean; result?: string };
    const calls = proxy.emulator.requests.filter((entry) => entry.operation === 'generateAssistantResponse');
    return {
      calls: calls.length,
      seconds: Math.round((performance.now() - started) / 1000),
      result: `${parsed.is_error ? 'error' : 'ok'}: ${(parsed.result ?? '').slice(0, 70)}`,
    };
  } finally {
    await proxy.close();
    await fs.rm(home, { recursive: true, force: true });
  }
}

console.log('| every Kiro answer | upstream calls for one `claude -p` | seconds | Claude Code says |');
console.log('| --- | --- | --- | --- |');
for (const fault of ['429', 'cut', 'bad-crc'] as const) {
  const result = await claudeUnder(fault);
  console.log(`| ${fault} | ${result.calls} | ${result.seconds} | ${result.result.replace(/\|/g, '/')} |`);
}
