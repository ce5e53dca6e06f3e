/**
 * `npm run demo`: the whole path on a built-in default, no Kiro account needed. Starts the Kiro emulator with a
 * demo login (its access token already expired, so the first request shows a refresh), runs the real
 * `kiro-dock serve` against it, and prints the lines that point Claude Code at it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKiroEmulator } from './kiroEmulator.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const port = process.env['KIRO_DOCK_DEMO_PORT'] ?? '8765';

const emulator = await startKiroEmulator({ strict: true, timeToFirstByteMs: 300, interFrameDelayMs: 15 });
const account = emulator.createSocialAccount({ expired: true });
const authDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-demo-'));
// The demo keeps its settings out of the user's real data folder and its secrets in memory.
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-demo-data-'));
await fs.writeFile(
  path.join(authDir, 'kiro-auth-token.json'),
  JSON.stringify({ ...account, authMethod: 'social', provider: 'Github' }),
  { mode: 0o600 },
);
const clientKey = `kd-demo-${randomBytes(12).toString('base64url')}`;

const serve = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    path.join(root, 'electron', 'cli.ts'),
    'serve',
    '--port',
    port,
    '--kiro-auth-dir',
    authDir,
    '--data-dir',
    dataDir,
    '--secret-store',
    'memory',
  ],
  {
    cwd: root,
    env: { ...process.env, KIRO_DOCK_UPSTREAM_URL: emulator.url, KIRO_DOCK_API_KEY: clientKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);

serve.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  const match = chunk.toString().match(/Kiro Dock listening on (\S+)/);
  if (match) printInstructions(match[1]!);
});

function printInstructions(url: string): void {
  process.stdout.write(`
Demo Kiro upstream (emulator): ${emulator.url}

Point Claude Code at Kiro Dock — paste into another shell:

  export ANTHROPIC_BASE_URL=${url}
  export ANTHROPIC_AUTH_TOKEN=${clientKey}
  unset ANTHROPIC_API_KEY
  npx claude -p "say hi"

Or try it with curl:

  curl -N ${url}/v1/messages -H 'x-api-key: ${clientKey}' -H 'content-type: application/json' \\
    -d '{"model":"claude-sonnet-4-5","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"hello"}]}'

Press Ctrl+C to stop.
`);
}

async function shutdown(): Promise<void> {
  serve.kill('SIGINT');
  await new Promise((resolve) => serve.once('exit', resolve));
  await emulator.close();
  await fs.rm(authDir, { recursive: true, force: true });
  await fs.rm(dataDir, { recursive: true, force: true });
}

process.once('SIGINT', () => void shutdown().then(() => process.exit(0)));
process.once('SIGTERM', () => void shutdown().then(() => process.exit(0)));
serve.once('exit', (code) => {
  if (code !== 0 && code !== null) {
    process.stderr.write(`kiro-dock serve exited with ${code}\n`);
    void emulator.close().then(() => process.exit(code));
  }
});
