/**
 * Watches the Kiro IDE's login folder (`~/.aws/sso/cache`, docs/upstream/auth.md §1) so a login, a refresh or a
 * logout in the IDE reaches Kiro Dock without a restart. The IDE writes its client registration and then
 * `kiro-auth-token.json`, sometimes by renaming a temp file over it, and logout deletes both: a burst of events
 * that is reported once, after it settles.
 *
 * The folder itself is watched, not the files: a rename-over replaces the file a file watch would be attached
 * to. The folder may not exist before the first login, and some file systems refuse to be watched; in both cases
 * the folder is polled (a listing of its JSON files with inode, size and mtime) until a watch can take over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock, type Timer } from '../ports.ts';

const DEFAULT_DEBOUNCE_MS = 200;
const DEFAULT_POLL_MS = 2000;

export interface KiroAuthDirWatch {
  close(): void;
}

/** Calls `onChange` (debounced) when a `*.json` in `dir` (the token or a registration) appears, changes or goes. */
export function watchKiroAuthDir(
  dir: string,
  onChange: () => void,
  options: { debounceMs?: number; pollMs?: number; clock?: Clock } = {},
): KiroAuthDirWatch {
  const watch = new AuthDirWatch(
    dir,
    onChange,
    options.clock ?? systemClock,
    options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    options.pollMs ?? DEFAULT_POLL_MS,
  );
  watch.connect();
  return { close: () => watch.close() };
}

class AuthDirWatch {
  private readonly dir: string;
  private readonly onChange: () => void;
  private readonly debounceMs: number;
  private readonly pollMs: number;
  private closed = false;
  private watcher: fs.FSWatcher | undefined;
  private watchedInode: number | undefined;
  private watchRefused = false;
  private readonly clock: Clock;
  private pollTimer: Timer | undefined;
  private debounceTimer: Timer | undefined;
  private lastListing: string;

  constructor(dir: string, onChange: () => void, clock: Clock, debounceMs: number, pollMs: number) {
    this.dir = dir;
    this.onChange = onChange;
    this.clock = clock;
    this.debounceMs = debounceMs;
    this.pollMs = pollMs;
    this.lastListing = jsonListing(dir);
  }

  /** Watch the folder if it exists and watching works; otherwise poll. */
  connect(): void {
    const inode = this.watchRefused ? undefined : folderInode(this.dir);
    if (inode !== undefined) {
      try {
        this.watcher = fs.watch(this.dir, { persistent: false }, (_event, name) => this.onWatchEvent(name));
        this.watchedInode = inode;
        this.watcher.on('error', () => {
          this.stopWatcher();
          this.schedulePoll();
          this.scheduleReport();
        });
        return;
      } catch (error) {
        // Vanishing between the check and the watch is a race; anything else means this folder cannot be watched.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.watchRefused = true;
      }
    }
    this.schedulePoll();
  }

  close(): void {
    this.closed = true;
    this.stopWatcher();
    this.pollTimer?.cancel();
    this.debounceTimer?.cancel();
    this.pollTimer = undefined;
    this.debounceTimer = undefined;
  }

  private onWatchEvent(name: string | null): void {
    if (name === null || name.endsWith('.json')) this.scheduleReport();
    else if (folderInode(this.dir) !== this.watchedInode) this.scheduleReport();
  }

  private scheduleReport(): void {
    this.debounceTimer?.cancel();
    this.debounceTimer = this.clock.setTimer(() => this.report(), this.debounceMs);
  }

  private report(): void {
    this.debounceTimer = undefined;
    if (this.closed) return;
    // A deleted (and perhaps re-created) folder leaves the watch attached to nothing: start over.
    if (this.watcher && folderInode(this.dir) !== this.watchedInode) {
      this.stopWatcher();
      this.connect();
    }
    this.lastListing = jsonListing(this.dir);
    this.onChange();
  }

  private schedulePoll(): void {
    this.pollTimer?.cancel();
    this.pollTimer = this.clock.setTimer(() => this.poll(), this.pollMs);
  }

  private poll(): void {
    this.pollTimer = undefined;
    if (this.closed) return;
    // Watch first, list second: a change between the two is then seen by one of them.
    this.connect();
    const listing = jsonListing(this.dir);
    if (listing !== this.lastListing) {
      this.lastListing = listing;
      this.scheduleReport();
    }
  }

  private stopWatcher(): void {
    this.watcher?.close();
    this.watcher = undefined;
    this.watchedInode = undefined;
  }
}

function folderInode(dir: string): number | undefined {
  try {
    const stat = fs.statSync(dir);
    return stat.isDirectory() ? stat.ino : undefined;
  } catch {
    return undefined;
  }
}

/** The folder's JSON files with what changes when one is written or replaced; '' when the folder is missing. */
function jsonListing(dir: string): string {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return '';
  }
  return names
    .sort()
    .flatMap((name) => {
      try {
        const stat = fs.statSync(path.join(dir, name));
        return [`${name}:${stat.ino}:${stat.size}:${stat.mtimeMs}`];
      } catch {
        return [];
      }
    })
    .join('\n');
}
