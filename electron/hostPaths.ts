import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Per-user settings folder, following each OS's convention (Electron's userData uses the same roots). */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env = process.env): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'kiro-dock');
  if (platform === 'win32')
    return path.join(env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'kiro-dock');
  return path.join(env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), 'kiro-dock');
}

/** The usage ledger's SQLite file (with its -wal and -shm companions) in the data folder. */
export function usageLedgerFile(dataDir: string): string {
  return path.join(dataDir, 'usage.sqlite');
}

/** Where the Kiro IDE keeps its login (the same on every OS). */
export function defaultKiroAuthDir(): string {
  return path.join(os.homedir(), '.aws', 'sso', 'cache');
}

/** Claude Code's user settings file: in CLAUDE_CONFIG_DIR when set (as Claude Code itself does), else ~/.claude. */
export function claudeSettingsPath(env = process.env): string {
  const configDir = env['CLAUDE_CONFIG_DIR'];
  return path.join(
    configDir && configDir.length > 0 ? configDir : path.join(os.homedir(), '.claude'),
    'settings.json',
  );
}

/**
 * The package's root folder (where package.json names kiro-dock): one up from electron/ when run from source,
 * two up from dist/electron/ when built.
 */
export function packageRoot(from: string = import.meta.url): string | undefined {
  for (const relative of ['..', '../..']) {
    const root = fileURLToPath(new URL(`${relative}/`, from));
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'kiro-dock') return root;
    } catch {
      // try the next folder up
    }
  }
  return undefined;
}

/** The built dashboard: `npm run build:renderer` writes it to dist/renderer in the package. */
export function defaultDashboardDir(): string | undefined {
  const root = packageRoot();
  return root && path.join(root, 'dist', 'renderer');
}
