import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchKiroAuthDir } from '../../electron/core/accounts/kiroAuthDirWatcher.ts';
import type { KiroAuthDirWatch } from '../../electron/core/accounts/kiroAuthDirWatcher.ts';
import { createFakeClock, type FakeClock } from '../support/fakeClock.ts';

let root: string;
let dir: string;
let watch: KiroAuthDirWatch | undefined;

beforeEach(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'kiro-auth-watch-'));
  dir = path.join(root, 'sso', 'cache');
});
afterEach(async () => {
  watch?.close();
  watch = undefined;
  await fsp.rm(root, { recursive: true, force: true });
});

/** Counts calls; `next()` resolves on the first call after it was asked for. */
function recorder() {
  const waiting: Array<() => void> = [];
  const state = {
    calls: 0,
    onChange: () => {
      state.calls += 1;
      for (const resolve of waiting.splice(0)) resolve();
    },
    next: () => new Promise<void>((resolve) => waiting.push(resolve)),
  };
  return state;
}

/**
 * Resolves once a watch of our own on `folder` has seen an event for `name`. Started after the watcher under
 * test, so by then that watcher has received every earlier event of the folder too.
 */
function seen(folder: string, name: string): Promise<void> {
  return new Promise((resolve) => {
    const observer = fs.watch(folder, { persistent: false }, (_event, changed) => {
      if (changed !== name) return;
      observer.close();
      resolve();
    });
  });
}

async function writeJson(name: string, value: unknown): Promise<void> {
  await fsp.writeFile(path.join(dir, name), JSON.stringify(value), { mode: 0o600 });
}

/** How the IDE may save: a sibling temp file renamed over the target. */
async function renameOver(name: string, value: unknown): Promise<void> {
  const temp = path.join(dir, `${name}.${Math.random().toString(16).slice(2)}.tmp`);
  await fsp.writeFile(temp, JSON.stringify(value), { mode: 0o600 });
  await fsp.rename(temp, path.join(dir, name));
}

describe('watchKiroAuthDir', () => {
  it('notices a login in a folder that is only created after the watch started', async () => {
    const changes = recorder();
    watch = watchKiroAuthDir(dir, changes.onChange, { debounceMs: 10, pollMs: 10 });
    const first = changes.next();
    await fsp.mkdir(dir, { recursive: true });
    await writeJson('abc123.json', { clientId: 'cid', clientSecret: 'secret' });
    await writeJson('kiro-auth-token.json', { accessToken: 'a1', refreshToken: 'r1' });
    await first;

    // Later changes are still seen.
    const second = changes.next();
    await writeJson('kiro-auth-token.json', { accessToken: 'a2', refreshToken: 'r1' });
    await second;
  });

  it('notices atomic rename-over writes, again and again, and deletions', async () => {
    await fsp.mkdir(dir, { recursive: true });
    await writeJson('kiro-auth-token.json', { accessToken: 'a0' });
    const changes = recorder();
    watch = watchKiroAuthDir(dir, changes.onChange, { debounceMs: 10 });

    for (const accessToken of ['a1', 'a2']) {
      const next = changes.next();
      await renameOver('kiro-auth-token.json', { accessToken });
      await next;
    }
    const deleted = changes.next();
    await fsp.rm(path.join(dir, 'kiro-auth-token.json'));
    await deleted;
    expect(changes.calls).toBe(3);
  });

  it('survives the folder being deleted and created again (logout, then a new login)', async () => {
    await fsp.mkdir(dir, { recursive: true });
    await writeJson('kiro-auth-token.json', { accessToken: 'a0' });
    const changes = recorder();
    watch = watchKiroAuthDir(dir, changes.onChange, { debounceMs: 10, pollMs: 10 });

    const gone = changes.next();
    await fsp.rm(dir, { recursive: true });
    await gone;
    const back = changes.next();
    await fsp.mkdir(dir, { recursive: true });
    await writeJson('kiro-auth-token.json', { accessToken: 'a1' });
    await back;
  });

  describe('on a fake clock', () => {
    let clock: FakeClock;
    beforeEach(() => {
      clock = createFakeClock();
    });

    it('reports a burst once, after it settled, and ignores files that are not JSON', async () => {
      await fsp.mkdir(dir, { recursive: true });
      const changes = recorder();
      watch = watchKiroAuthDir(dir, changes.onChange, { debounceMs: 200, clock });

      const notes = seen(dir, 'notes.txt');
      await fsp.writeFile(path.join(dir, 'notes.txt'), 'not a login');
      await notes;
      clock.advance(1000);
      expect(changes.calls).toBe(0);

      const last = seen(dir, 'kiro-auth-token.json');
      await writeJson('abc123.json', { clientId: 'cid' });
      await renameOver('kiro-auth-token.json', { accessToken: 'a1' });
      await last;
      clock.advance(199);
      expect(changes.calls).toBe(0);
      clock.advance(1);
      expect(changes.calls).toBe(1);
      clock.advance(10_000);
      expect(changes.calls).toBe(1);
    });

    it('close() stops the watch and leaves no timer, while watching and while polling', async () => {
      const changes = recorder();
      watch = watchKiroAuthDir(dir, changes.onChange, { pollMs: 50, clock });
      expect(clock.pendingTimers).toBe(1); // polling for the missing folder
      watch.close();
      expect(clock.pendingTimers).toBe(0);

      await fsp.mkdir(dir, { recursive: true });
      watch = watchKiroAuthDir(dir, changes.onChange, { debounceMs: 50, clock });
      const written = seen(dir, 'kiro-auth-token.json');
      await writeJson('kiro-auth-token.json', { accessToken: 'a1' });
      await written;
      expect(clock.pendingTimers).toBe(1); // the pending report
      watch.close();
      expect(clock.pendingTimers).toBe(0);

      const later = seen(dir, 'kiro-auth-token.json');
      await writeJson('kiro-auth-token.json', { accessToken: 'a2' });
      await later;
      clock.advance(10_000);
      expect(clock.pendingTimers).toBe(0);
      expect(changes.calls).toBe(0);
    });
  });
});
