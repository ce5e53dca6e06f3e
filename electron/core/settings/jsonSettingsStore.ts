/**
 * settings.json in the data dir: every write replaces the file atomically (temp file + rename, through
 * `atomically`), mode 0600, and every read sees the file as it is now, so two processes (`kiro-dock serve` and a
 * later `kiro-dock accounts add`) can share it. Keys are flat: a dot in a key is part of the name, not a path.
 * The file is tab-indented JSON, as the earlier versions (which used `conf`) wrote it; `conf` itself is not used
 * because its JSON-schema validator, which nothing here needs, was a fifth of the modules every start loaded.
 *
 * Changes by other processes are detected here: the folder is watched (an atomic write replaces the file, which
 * a watch on the file itself would lose) and the file's text is compared with the last text this process wrote
 * or reported.
 *
 * While the folder is watched (a long-running host listens for changes), reads come from a parsed copy that any
 * event on the file or any own write discards: the request path reads settings on every request, and would
 * otherwise read and parse the file each time. Without a watch (a short-lived command) every read goes to disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileSync as atomicWriteFileSync } from 'atomically';
import { systemClock, type Clock, type SettingsStore, type Timer } from '../ports.ts';

const DEFAULT_FILE_NAME = 'settings';
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** A writer may replace the file several times in a row (one per key); listeners hear about it once. */
const DEBOUNCE_MS = 100;
/** Used only where the platform cannot watch the folder. */
const POLL_MS = 1000;

export function createJsonSettingsStore(options: {
  dataDir: string;
  fileName?: string;
  clock?: Clock;
}): SettingsStore {
  fs.mkdirSync(options.dataDir, { recursive: true, mode: DIR_MODE });
  const file = openSettingsFile(
    path.resolve(options.dataDir, `${options.fileName ?? DEFAULT_FILE_NAME}.json`),
  );
  // A file that is not JSON stops the host here, at start, rather than at its first read.
  file.read();
  const changes = createExternalChangeDetector(file.path, options.clock ?? systemClock);

  return {
    // A copy of objects: a caller that edits what it read must not edit the snapshot.
    get: <T>(key: string) => copyOf(changes.snapshot(() => file.read())[key]) as T | undefined,
    set: (key, value) =>
      changes.ownWrite(() => (value === undefined ? file.delete(key) : file.set(key, value))),
    delete: (key) => changes.ownWrite(() => file.delete(key)),
    onExternalChange: (listener) => changes.subscribe(listener),
  };
}

interface SettingsFile {
  readonly path: string;
  read(): Record<string, unknown>;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** Every change reads the file first, so keys another process wrote in the meantime are kept. */
function openSettingsFile(file: string): SettingsFile {
  function read(): Record<string, unknown> {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return Object.create(null) as Record<string, unknown>;
      throw error;
    }
    // Without a prototype, a key named like an Object method is just a key.
    return Object.assign(Object.create(null) as Record<string, unknown>, JSON.parse(text) as unknown);
  }

  function write(store: Record<string, unknown>): void {
    // The folder may have been deleted since the store was opened.
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE });
    const text = JSON.stringify(store, undefined, '\t');
    // Inside a Snap the temp file cannot be renamed over the original; on Windows the rename can fail with
    // EXDEV even within one folder. A plain write is what is left then.
    if (process.env['SNAP']) {
      fs.writeFileSync(file, text, { mode: FILE_MODE });
      return;
    }
    try {
      atomicWriteFileSync(file, text, { mode: FILE_MODE });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      fs.writeFileSync(file, text, { mode: FILE_MODE });
    }
  }

  return {
    path: file,
    read,
    set(key, value) {
      if (typeof value === 'function' || typeof value === 'symbol')
        throw new TypeError(
          `Setting a value of type \`${typeof value}\` for key \`${key}\` is not supported by JSON`,
        );
      const store = read();
      store[key] = value;
      write(store);
    },
    delete(key) {
      const store = read();
      delete store[key];
      write(store);
    },
  };
}

interface ExternalChangeDetector {
  ownWrite(write: () => void): void;
  /** The last value `read` gave while the file is watched and unchanged; a fresh read otherwise. */
  snapshot<T>(read: () => T): T;
  subscribe(listener: () => void): () => void;
}

/** The watch runs only while someone listens, so a store nobody watches holds no handles. */
function createExternalChangeDetector(file: string, clock: Clock): ExternalChangeDetector {
  const listeners = new Set<() => void>();
  let lastKnownText = readText(file);
  let unreported = false;
  let debounce: Timer | undefined;
  let stopWatching: (() => void) | undefined;
  let cached: { value: unknown } | undefined;

  function onFileEvent(): void {
    cached = undefined;
    scheduleCheck();
  }

  function check(): void {
    debounce = undefined;
    const text = readText(file);
    if (text !== lastKnownText) {
      lastKnownText = text;
      unreported = true;
    }
    if (!unreported) return;
    unreported = false;
    for (const listener of [...listeners]) listener();
  }

  function scheduleCheck(): void {
    debounce?.cancel();
    debounce = clock.setTimer(check, DEBOUNCE_MS);
  }

  return {
    ownWrite(write) {
      // Another process may have written since we last looked; our write keeps its keys (every change
      // re-reads the file first), but its listeners must still hear about it.
      if (readText(file) !== lastKnownText) {
        unreported = true;
        if (stopWatching) scheduleCheck();
      }
      cached = undefined;
      write();
      lastKnownText = readText(file);
    },
    snapshot<T>(read: () => T): T {
      if (!stopWatching) return read();
      cached ??= { value: read() };
      return cached.value as T;
    },
    subscribe(listener) {
      if (!stopWatching) {
        // What a new listener's owner reads now is the baseline; only later changes are news.
        lastKnownText = readText(file);
        unreported = false;
        cached = undefined;
        stopWatching = watchFile(file, onFileEvent);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0 || !stopWatching) return;
        stopWatching();
        stopWatching = undefined;
        cached = undefined;
        debounce?.cancel();
        debounce = undefined;
      };
    },
  };
}

/** Watches the folder for events about `file` (created, replaced, deleted); polls when watching is refused. */
function watchFile(file: string, onEvent: () => void): () => void {
  const name = path.basename(file);
  const poll = () => {
    fs.watchFile(file, { persistent: false, interval: POLL_MS }, onEvent);
    return () => fs.unwatchFile(file, onEvent);
  };
  let stop: () => void;
  try {
    const watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, changed) => {
      if (changed === null || changed === name) onEvent();
    });
    watcher.on('error', () => {
      watcher.close();
      stop = poll();
    });
    stop = () => watcher.close();
  } catch {
    stop = poll();
  }
  return () => stop();
}

function copyOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
