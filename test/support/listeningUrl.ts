import type { ChildProcess } from 'node:child_process';

const LISTENING = /Kiro Dock listening on (http:\/\/\S+)/;

/**
 * The address a `kiro-dock serve` child prints once it listens; rejects, with what it printed, if it exits first.
 * Reads stdout only, so the caller keeps stderr for itself.
 */
export function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer | string) => {
      seen += chunk.toString();
      const match = LISTENING.exec(seen);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening: ${seen}`)));
  });
}
