import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonSettingsStore } from '../../electron/core/settings/jsonSettingsStore.ts';

let dataDir: string;
const unsubscribes: Array<() => void> = [];

beforeEach(async () => {
  dataDir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'kiro-dock-settings-')), 'data');
});
afterEach(async () => {
  for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
  await fs.rm(path.dirname(dataDir), { recursive: true, force: true });
});

/** Counts the listener's calls; `next()` resolves on the call after the ones already counted. */
function listen(store: ReturnType<typeof createJsonSettingsStore>) {
  const waiting: Array<() => void> = [];
  const state = {
    calls: 0,
    next: () => new Promise<void>((resolve) => waiting.push(resolve)),
  };
  unsubscribes.push(
    store.onExternalChange(() => {
      state.calls += 1;
      for (const resolve of waiting.splice(0)) resolve();
    }),
  );
  return state;
}

describe('JSON settings store', () => {
  it('keeps values in <dataDir>/settings.json, mode 0600, written atomically', async () => {
    const store = createJsonSettingsStore({ dataDir });
    store.set('accounts', [{ id: 'acc_000000000001', label: 'work' }]);
    store.set('server.port', 8765);
    expect(store.get('accounts')).toEqual([{ id: 'acc_000000000001', label: 'work' }]);
    expect(store.get<number>('server.port')).toBe(8765);
    expect(store.get('missing')).toBeUndefined();

    const file = path.join(dataDir, 'settings.json');
    // A dotted key is one flat key, not a path into an object.
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual({
      accounts: [{ id: 'acc_000000000001', label: 'work' }],
      'server.port': 8765,
    });
    if (process.platform !== 'win32') {
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      expect((await fs.stat(dataDir)).mode & 0o777).toBe(0o700);
    }
    expect(await fs.readdir(dataDir)).toEqual(['settings.json']);
  });

  it('deletes keys, treats set(undefined) as delete, and honours fileName', () => {
    const store = createJsonSettingsStore({ dataDir, fileName: 'other' });
    store.set('a', 1);
    store.set('b', 2);
    store.delete('a');
    store.set('b', undefined);
    expect(store.get('a')).toBeUndefined();
    expect(store.get('b')).toBeUndefined();
    return expect(fs.readdir(dataDir)).resolves.toEqual(['other.json']);
  });

  it('sees what another store on the same folder wrote, on the next read', () => {
    const serve = createJsonSettingsStore({ dataDir });
    const cli = createJsonSettingsStore({ dataDir });
    serve.set('kept', true);
    cli.set('accounts', ['acc_000000000002']);
    expect(serve.get('accounts')).toEqual(['acc_000000000002']);
    // A write from the first store keeps the second's key: every write re-reads the file first.
    serve.set('port', 1);
    expect(cli.get('accounts')).toEqual(['acc_000000000002']);
    expect(cli.get('kept')).toBe(true);
  });

  it("reports another process's changes once per burst and never its own writes", async () => {
    const serve = createJsonSettingsStore({ dataDir });
    serve.set('before', 1);
    const heard = listen(serve);
    // A second process that hears serve's writes as external ones. Subscribed after serve, its debounce timer
    // for the same folder events fires after serve's: once it has fired, serve has decided too.
    const observer = listen(createJsonSettingsStore({ dataDir }));
    serve.set('own', 1);
    serve.delete('before');
    await observer.next();
    expect(heard.calls).toBe(0);

    const cli = createJsonSettingsStore({ dataDir });
    cli.set('accounts', ['acc_000000000003']);
    cli.set('label', 'second write of the same burst');
    await Promise.all([heard.next(), observer.next()]);
    expect(serve.get('accounts')).toEqual(['acc_000000000003']);

    serve.set('own', 2);
    await observer.next();
    expect(heard.calls).toBe(1);
  });

  it('reports an external change that happened just before an own write', async () => {
    const serve = createJsonSettingsStore({ dataDir });
    serve.set('seed', 0);
    const heard = listen(serve);
    createJsonSettingsStore({ dataDir }).set('external', 1);
    serve.set('own', 1); // before the folder watch had its say
    await heard.next();
    expect(heard.calls).toBe(1);
    expect(serve.get('external')).toBe(1);
  });

  it('no longer calls a listener that unsubscribed', async () => {
    const serve = createJsonSettingsStore({ dataDir });
    serve.set('seed', 0);
    const kept = listen(serve);
    let removedCalls = 0;
    const unsubscribe = serve.onExternalChange(() => void (removedCalls += 1));
    unsubscribe();
    createJsonSettingsStore({ dataDir }).set('external', 1);
    await kept.next();
    expect(removedCalls).toBe(0);
  });

  it('reads and writes the file as earlier versions (through conf) did: tab-indented JSON', async () => {
    const file = path.join(dataDir, 'settings.json');
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(file, JSON.stringify({ logLevel: 'debug', 'listen.port': 9000 }, undefined, '\t'));
    const store = createJsonSettingsStore({ dataDir });
    expect(store.get('logLevel')).toBe('debug');
    store.set('constructor', 'just a key');
    expect(await fs.readFile(file, 'utf8')).toBe(
      JSON.stringify({ logLevel: 'debug', 'listen.port': 9000, constructor: 'just a key' }, undefined, '\t'),
    );
    expect(store.get('toString')).toBeUndefined();
  });

  it('refuses, when opened, a settings file that is not JSON, and leaves it as it is', async () => {
    const file = path.join(dataDir, 'settings.json');
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(file, '{ "logLevel": ');
    expect(() => createJsonSettingsStore({ dataDir })).toThrow(SyntaxError);
    expect(await fs.readFile(file, 'utf8')).toBe('{ "logLevel": ');
  });

  it('refuses values JSON cannot hold', () => {
    const store = createJsonSettingsStore({ dataDir });
    expect(() => store.set('hook', () => undefined)).toThrow(TypeError);
    expect(store.get('hook')).toBeUndefined();
  });

  it('while watched, reads from memory until the file changes, and hands out copies', async () => {
    const serve = createJsonSettingsStore({ dataDir });
    serve.set('accounts', [{ id: 'acc_000000000001' }]);
    const heard = listen(serve);
    const file = path.join(dataDir, 'settings.json');
    const readsBefore = countFileReads(file, () => {
      for (let i = 0; i < 50; i++) serve.get('accounts');
    });
    expect(readsBefore).toBeLessThanOrEqual(1);

    serve.get<Array<{ id: string }>>('accounts')!.push({ id: 'edited-by-a-caller' });
    expect(serve.get('accounts')).toEqual([{ id: 'acc_000000000001' }]);

    createJsonSettingsStore({ dataDir }).set('accounts', [{ id: 'acc_000000000002' }]);
    await heard.next();
    expect(serve.get('accounts')).toEqual([{ id: 'acc_000000000002' }]);
  });
});

/** How many times `run` read `file` through fs.readFileSync (an unwatched store reads the whole file each time). */
function countFileReads(file: string, run: () => void): number {
  let reads = 0;
  const original = fsSync.readFileSync;
  const spy = ((target: fsSync.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (target === file) reads += 1;
    return (original as (...args: unknown[]) => unknown)(target, ...rest);
  }) as typeof fsSync.readFileSync;
  fsSync.readFileSync = spy;
  try {
    run();
  } finally {
    fsSync.readFileSync = original;
  }
  return reads;
}
