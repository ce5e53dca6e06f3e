/**
 * The file store's change log: a change survives a kill as soon as set/delete returns, before the file has
 * been replaced; reads see logged changes; a finished rewrite empties the log; a torn line spoils only itself.
 */
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFileSecretStore,
  SECRETS_FILE_NAME,
  SECRETS_LOG_FILE_NAME,
} from '../../electron/core/secrets/fileSecretStore.ts';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'file-store-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const logFile = () => path.join(dir, SECRETS_LOG_FILE_NAME);
const secretsFile = () => path.join(dir, SECRETS_FILE_NAME);

describe('file secret store', () => {
  it('has the change on disk when set() returns, before its promise settles', async () => {
    const store = createFileSecretStore(dir);
    const writing = store.set('refresh-journal:acc_1', 'rotated-token');
    // What a process killed at this very moment leaves behind: secrets.json without the change, the log with it.
    const left = { file: readIfExists(secretsFile()), log: readIfExists(logFile()) };
    expect(left.file).toBeUndefined();
    expect(left.log).toContain('rotated-token');
    await fs.mkdir(path.join(dir, 'after-kill'));
    await fs.writeFile(path.join(dir, 'after-kill', SECRETS_LOG_FILE_NAME), left.log!);
    expect(await createFileSecretStore(path.join(dir, 'after-kill')).get('refresh-journal:acc_1')).toBe(
      'rotated-token',
    );
    await writing;
    expect(JSON.parse(await fs.readFile(secretsFile(), 'utf8'))).toEqual({
      'refresh-journal:acc_1': 'rotated-token',
    });
    expect(await fs.readFile(logFile(), 'utf8')).toBe('');
  });

  it('replays a log left by a kill, deletes included, and folds it in at the next write', async () => {
    const store = createFileSecretStore(dir);
    await store.set('account:acc_1', 'one');
    await store.set('account:acc_2', 'two');
    const lines = [{ set: 'account:acc_1', value: 'one, rotated' }, { delete: 'account:acc_2' }].map(
      (change) => `\n${JSON.stringify(change)}\n`,
    );
    await fs.writeFile(logFile(), lines.join('') + '\n{"set":"account:acc_3","val', { mode: 0o600 });
    const restarted = createFileSecretStore(dir);
    expect(await restarted.get('account:acc_1')).toBe('one, rotated');
    expect(await restarted.get('account:acc_2')).toBeUndefined();
    expect(await restarted.get('account:acc_3')).toBeUndefined();
    await restarted.set('client-key', 'kd-key');
    expect(JSON.parse(await fs.readFile(secretsFile(), 'utf8'))).toEqual({
      'account:acc_1': 'one, rotated',
      'client-key': 'kd-key',
    });
    expect(await fs.readFile(logFile(), 'utf8')).toBe('');
  });

  it('keeps writes made in a row in order, and both files private', async () => {
    const store = createFileSecretStore(path.join(dir, 'nested'));
    await Promise.all([store.set('a', '1'), store.set('a', '2'), store.delete('b'), store.set('b', '3')]);
    expect(await store.get('a')).toBe('2');
    expect(await store.get('b')).toBe('3');
    for (const name of [SECRETS_FILE_NAME, SECRETS_LOG_FILE_NAME]) {
      const stat = await fs.stat(path.join(dir, 'nested', name));
      expect(stat.mode & 0o777).toBe(0o600);
    }
  });

  it('refuses to overwrite a secrets file that is not a JSON object', async () => {
    await fs.writeFile(secretsFile(), '[1, 2]');
    const store = createFileSecretStore(dir);
    await expect(store.set('a', '1')).rejects.toThrow('not a JSON object');
    expect(await fs.readFile(secretsFile(), 'utf8')).toBe('[1, 2]');
  });
});
