/**
 * What a fresh `kiro-dock serve` loads before it answers: the packages only later work needs (calls to Kiro,
 * images, kiro-cli databases, the keychain, Redis) wait for that work, so an idle proxy neither starts slower
 * nor holds their memory. The child records every module it loads (test/support/recordLoads.ts).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listeningUrl, serveFromSource } from '../support/serveProcess.ts';

let root: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-start-loads-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** The npm packages among recorded loads: from module paths, and from bare `require:` ids (scoped names whole). */
function packagesIn(recorded: string): Set<string> {
  const names = new Set<string>();
  for (const line of recorded.split('\n')) {
    const name =
      /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line)?.[1] ??
      /^require:((?:@[^/]+\/)?[^./:][^/:]*)/.exec(line)?.[1];
    if (name) names.add(name);
  }
  return names;
}

describe('a fresh serve', () => {
  it('answers /health without loading the packages that only later work needs', async () => {
    const loads = path.join(root, 'loads.txt');
    const child = serveFromSource(path.join(root, 'data'), ['--secret-store', 'file', '--no-ide'], {
      env: {
        ...process.env,
        KIRO_DOCK_LOADS_FILE: loads,
        KIRO_DOCK_LOG_LEVEL: 'silent',
        KIRO_DOCK_UPSTREAM_URL: 'http://127.0.0.1:9',
        KIRO_DOCK_API_KEY: 'kd-start-loads-0123456789abcdef',
      },
      nodeArgs: ['--import', path.resolve('test/support/recordLoads.ts')],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const url = await listeningUrl(child);
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const loaded = packagesIn(await fs.readFile(loads, 'utf8'));
      // The recorder sees what a start does need: the HTTP stack, and the usage ledger opened before any request.
      expect(loaded).toContain('express');
      expect(loaded).toContain('better-sqlite3');
      for (const later of ['undici', 'image-size', 'sql.js', '@napi-rs/keyring', 'ioredis'])
        expect(loaded, later).not.toContain(later);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
