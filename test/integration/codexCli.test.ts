/**
 * The real Codex CLI (npm @openai/codex, its native binary from the npm optional dependencies) against Kiro
 * Dock over the Responses API, offline, with a throwaway CODEX_HOME: the emulated model calls Codex's
 * `exec_command` tool with a shell command, Codex runs it and sends the output back as a function_call_output,
 * and the model answers; with reasoning on, the reasoning item makes the round trip too; a stream that fails
 * halfway is taken by Codex as a failed response and retried.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { emulatedSearchResults } from '../emulator/mcpWebSearch.ts';
import { CLIENT_KEY, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

const CODEX = fileURLToPath(new URL('../../node_modules/@openai/codex/bin/codex.js', import.meta.url));

let proxy: ProxyHarness;
let scratch: string;

beforeAll(async () => {
  proxy = await startProxyHarness();
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-codex-'));
});
afterAll(async () => {
  await proxy?.close();
  if (scratch) await fs.rm(scratch, { recursive: true, force: true });
});

async function writeCodexHome(home: string, baseUrl: string, extra: string[] = []): Promise<void> {
  await fs.mkdir(home, { recursive: true });
  const config = [
    'model = "claude-sonnet-4-5"',
    'model_provider = "kirodock"',
    'check_for_update_on_startup = false',
    ...extra,
    '',
    '[model_providers.kirodock]',
    'name = "Kiro Dock"',
    `base_url = "${baseUrl}/v1"`,
    'env_key = "KIRO_DOCK_API_KEY"',
    'wire_api = "responses"',
    '',
  ].join('\n');
  await fs.writeFile(path.join(home, 'config.toml'), config);
}

function runCodex(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // stdin closed: `codex exec` otherwise waits for more prompt on it.
    const child = spawn(process.execPath, [CODEX, ...args], {
      ...options,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('runs a shell command through Codex exec_command and answers with its output', async () => {
  const home = path.join(scratch, 'codex-home');
  const workdir = path.join(scratch, 'work');
  await fs.mkdir(workdir);
  await writeCodexHome(home, proxy.url);
  const command = 'echo kiro-dock-ok > marker.txt && echo marker-written';
  const prompt = `Write the marker file. [[tool:exec_command:${JSON.stringify({ cmd: command })}]]`;
  const result = await runCodex(['exec', '--skip-git-repo-check', '--sandbox', 'workspace-write', prompt], {
    cwd: workdir,
    env: { PATH: process.env.PATH, HOME: scratch, CODEX_HOME: home, KIRO_DOCK_API_KEY: CLIENT_KEY },
  });
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  expect(await fs.readFile(path.join(workdir, 'marker.txt'), 'utf8')).toBe('kiro-dock-ok\n');
  // The second turn carried the command's output back, and the model's answer quotes it.
  expect(result.stdout).toContain('Tool results received:');
  expect(result.stdout).toContain('marker-written');
  const turns = proxy.emulator.requests.filter(
    (request) => request.operation === 'generateAssistantResponse',
  );
  expect(turns).toHaveLength(2);
  // Codex's tools reached Kiro: exec_command, its namespace tools flattened, the built-in web_search as the
  // search function Kiro Dock runs (docs/web-search.md).
  const firstTurn = JSON.stringify(turns[0]?.body);
  expect(firstTurn).toContain('"name":"exec_command"');
  expect(firstTurn).toMatch(/"name":"multi_agent_v1__\w+"/);
  expect(firstTurn).toContain('"name":"web_search"');
  expect(JSON.stringify(turns[1]?.body)).toContain('marker-written');
  expect(proxy.emulator.strictRejections()).toEqual([]);
}, 60_000);

it('searches the web through its built-in web_search tool', async () => {
  const home = path.join(scratch, 'codex-home-search');
  const workdir = path.join(scratch, 'work-search');
  await fs.mkdir(workdir);
  await writeCodexHome(home, proxy.url);
  const before = proxy.emulator.requests.length;
  const query = 'codex release notes';
  const result = await runCodex(['exec', '--skip-git-repo-check', `Look it up [[search:${query}]]`], {
    cwd: workdir,
    env: { PATH: process.env.PATH, HOME: scratch, CODEX_HOME: home, KIRO_DOCK_API_KEY: CLIENT_KEY },
  });
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  const requests = proxy.emulator.requests.slice(before);
  expect(
    requests.filter((request) => request.operation === 'mcp').map((request) => request.body),
  ).toMatchObject([{ params: { arguments: { query } } }]);
  // The model answered from the results Kiro Dock handed it, and Codex printed that answer.
  expect(result.stdout).toContain(emulatedSearchResults(query)[0]!.url);
  expect(proxy.emulator.strictRejections()).toEqual([]);
}, 60_000);

it('shows the reasoning summary and sends the reasoning back on the next turn', async () => {
  const home = path.join(scratch, 'codex-home-reasoning');
  const workdir = path.join(scratch, 'work-reasoning');
  await fs.mkdir(workdir);
  await writeCodexHome(home, proxy.url, [
    'model_reasoning_effort = "medium"',
    'model_reasoning_summary = "auto"',
  ]);
  const before = proxy.emulator.requests.length;
  const prompt = `Print it. [[tool:exec_command:${JSON.stringify({ cmd: 'echo reasoning-ok' })}]]`;
  const result = await runCodex(['exec', '--skip-git-repo-check', prompt], {
    cwd: workdir,
    env: { PATH: process.env.PATH, HOME: scratch, CODEX_HOME: home, KIRO_DOCK_API_KEY: CLIENT_KEY },
  });
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  expect(result.stdout).toContain('reasoning-ok');
  // The emulator's thinking, shown by Codex as the reasoning summary…
  expect(result.stderr).toContain('Reading the request carefully.');
  const turns = proxy.emulator.requests
    .slice(before)
    .filter((request) => request.operation === 'generateAssistantResponse');
  expect(turns).toHaveLength(2);
  expect(JSON.stringify(turns[0]?.body)).toContain('<thinking_mode>adaptive</thinking_mode>');
  // …came back as a reasoning item and was replayed to Kiro as the earlier turn's thinking.
  expect(JSON.stringify(turns[1]?.body)).toContain('<thinking>Reading the request carefully.');
  expect(proxy.emulator.strictRejections()).toEqual([]);
}, 60_000);

it('uses native reasoning on a model that advertises it and replays the signed reasoning', async () => {
  const home = path.join(scratch, 'codex-home-native');
  const workdir = path.join(scratch, 'work-native');
  await fs.mkdir(workdir);
  await writeCodexHome(home, proxy.url, [
    'model_reasoning_effort = "high"',
    'model_reasoning_summary = "auto"',
  ]);
  const before = proxy.emulator.requests.length;
  const prompt = `Print it. [[tool:exec_command:${JSON.stringify({ cmd: 'echo native-ok' })}]]`;
  const result = await runCodex(['exec', '--skip-git-repo-check', '-m', 'claude-opus-4-6', prompt], {
    cwd: workdir,
    env: { PATH: process.env.PATH, HOME: scratch, CODEX_HOME: home, KIRO_DOCK_API_KEY: CLIENT_KEY },
  });
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  expect(result.stdout).toContain('native-ok');
  expect(result.stderr).toContain('Reasoning at high effort');
  const turns = proxy.emulator.requests
    .slice(before)
    .filter((request) => request.operation === 'generateAssistantResponse');
  expect(turns).toHaveLength(2);
  expect(turns[0]?.body).toMatchObject({
    additionalModelRequestFields: { thinking: { type: 'adaptive' }, output_config: { effort: 'high' } },
  });
  // The reasoning item's encrypted_content carried the signature, which Kiro (the emulator) verified.
  expect(JSON.stringify(turns[1]?.body)).toContain('"reasoningContent":{"reasoningText"');
  expect(proxy.emulator.strictRejections()).toEqual([]);
}, 60_000);

it('takes a failure in the middle of a streamed answer as a failed response and retries it', async () => {
  const home = path.join(scratch, 'codex-home-failure');
  const workdir = path.join(scratch, 'work-failure');
  await fs.mkdir(workdir);
  await writeCodexHome(home, proxy.url);
  const before = proxy.emulator.requests.length;
  // The first answer breaks off halfway with a Kiro exception, after Kiro Dock began streaming it: the stream
  // ends with `error` and `response.failed`, which Codex retries; the retry is answered in full.
  proxy.emulator.setFault({ kind: 'exception', times: 1 });
  const result = await runCodex(
    ['exec', '--skip-git-repo-check', 'Break [[chunks:8]] [[reply:whole answer]]'],
    {
      cwd: workdir,
      env: { PATH: process.env.PATH, HOME: scratch, CODEX_HOME: home, KIRO_DOCK_API_KEY: CLIENT_KEY },
    },
  );
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  expect(result.stderr).toMatch(/Reconnecting\.\.\. 1\//);
  expect(result.stdout).toContain('whole answer');
  const turns = proxy.emulator.requests
    .slice(before)
    .filter((request) => request.operation === 'generateAssistantResponse');
  expect(turns).toHaveLength(2);
  expect(proxy.emulator.strictRejections()).toEqual([]);
}, 60_000);
