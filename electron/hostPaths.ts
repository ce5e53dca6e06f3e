import os from 'node:os';
import path from 'node:path';

/** Per-user settings folder, following each OS's convention (Electron's userData uses the same roots). */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env = process.env): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'kiro-dock');
  if (platform === 'win32')
    return path.join(env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'kiro-dock');
  return path.join(env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), 'kiro-dock');
}

/** Where the Kiro IDE keeps its login (the same on every OS). */
export function defaultKiroAuthDir(): string {
  return path.join(os.homedir(), '.aws', 'sso', 'cache');
}
