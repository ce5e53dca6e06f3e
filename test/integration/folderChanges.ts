/**
 * What the crash rig needs to time a kill and to tell afterwards whether the process had written anything:
 * a sub-millisecond sleep that leaves the CPU to the process under test, and a fingerprint of a folder.
 */
import fsSync from 'node:fs';
import path from 'node:path';

/**
 * A timer's millisecond granularity is as coarse as the window measured, and spinning would take a core from
 * the process under test: this thread sleeps in the kernel instead, to a fraction of a millisecond.
 */
export function sleepBlocking(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Names, sizes and nanosecond mtimes of the folder's files: any write changes it. */
export function folderState(dir: string): string {
  return fsSync
    .readdirSync(dir)
    .sort()
    .map((name) => {
      const stat = fsSync.statSync(path.join(dir, name), { bigint: true, throwIfNoEntry: false });
      return `${name}:${stat?.size ?? '-'}:${stat?.mtimeNs ?? '-'}`;
    })
    .join('|');
}

export interface FolderWatch {
  nextChange(changed: () => boolean): Promise<void>;
  close(): void;
}

export function watchFolder(dir: string): FolderWatch {
  const waiters = new Set<() => void>();
  const watcher = fsSync.watch(dir, () => {
    for (const wake of [...waiters]) wake();
  });
  return {
    nextChange: (changed) =>
      new Promise((resolve) => {
        const wake = () => {
          if (!changed()) return;
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      }),
    close: () => watcher.close(),
  };
}
