import { spawn, type ChildProcess } from 'node:child_process';

const LISTENING = /Kiro Dock listening on (http:\/\/\S+)/;

/**
 * `kiro-dock serve` from the source (through tsx) on a free port with its data in `dataDir`, stdout and stderr
 * piped; `nodeArgs` go to Node before the script.
 */
export function serveFromSource(
  dataDir: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; nodeArgs?: string[] },
) {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      ...(options.nodeArgs ?? []),
      'electron/cli.ts',
      'serve',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...args,
    ],
    { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

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
