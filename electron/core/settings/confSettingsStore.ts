/**
 * settings.json in the data dir, through `conf`: every write replaces the file atomically (temp file + rename),
 * mode 0600, and every read sees the file as it is now, so two processes (`kiro-dock serve` and a later
 * `kiro-dock accounts add`) can share it. Keys are flat: a dot in a key is part of the name, not a path.
 *
 * conf's own watcher cannot be stopped and cannot tell our writes from others', so changes are detected here:
 * the folder is watched (an atomic write replaces the file, which a watch on the file itself would lose) and the
 * file's text is compared with the last text this process wrote or reported.
 *
 * While the folder is watched (a long-running host listens for changes), reads come from a parsed copy that any
 * event on the file or any own write discards: the request path reads settings on every request, and conf would
 * otherwise read and parse the file each time. Without a watch (a short-lived command) every read goes to disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { systemClock, type Clock, type SettingsStore, type Timer } from '../ports.ts';

const DEFAULT_FILE_NAME = 'settings';
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** A writer may replace the file several times in a row (one per key); listeners hear about it once. */
const DEBOUNCE_MS = 100;
/** Used only where the platform cannot watch the folder. */
const POLL_MS = 1000;

export function createConfSettingsStore(options: {
  dataDir: string;
  fileName?: string;
  clock?: Clock;
}): SettingsStore {
  fs.mkdirSync(options.dataDir, { recursive: true, mode: DIR_MODE });
  const conf = new Conf<Record<string, unknown>>({
    cwd: options.dataDir,
    configName: options.fileName ?? DEFAULT_FILE_NAME,
    configFileMode: FILE_MODE,
    accessPropertiesByDotNotation: false,
  });
  const changes = createExternalChangeDetector(conf.path, options.clock ?? systemClock);

  return {
    // A copy of objects, as conf's own reads give: a caller that edits what it read must not edit the snapshot.
    get: <T>(key: string) => copyOf(changes.snapshot(() => conf.store)[key]) as T | undefined,
    set: (key, value) =>
      changes.ownWrite(() => (value === undefined ? conf.delete(key) : conf.set(key, value))),
    delete: (key) => changes.ownWrite(() => conf.delete(key)),
    onExternalChange: (listener) => changes.subscribe(listener),
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
      // Another process may have written since we last looked; our write keeps its keys (conf re-reads the
      // file first), but its listeners must still hear about it.
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
