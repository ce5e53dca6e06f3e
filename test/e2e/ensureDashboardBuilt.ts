/**
 * The browser tests load the dashboard as `kiro-dock serve` serves it: the static build in dist/renderer.
 * `npm run check` builds it before the tests; a lone `vitest run` rebuilds it here when any renderer source is
 * newer than the build, so a test never passes or fails against yesterday's dashboard.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './repoRoot.ts';

const run = promisify(execFile);
const BUILD_TIMEOUT_MS = 60_000;
export const DASHBOARD_BUILD_INDEX = path.join(REPO_ROOT, 'dist', 'renderer', 'index.html');

export async function ensureDashboardBuilt(): Promise<void> {
  const built = await mtimeMs(DASHBOARD_BUILD_INDEX);
  const sources = await newestMtimeMs([path.join(REPO_ROOT, 'renderer'), path.join(REPO_ROOT, 'shared')]);
  if (built !== undefined && built >= sources) return;
  await run(
    process.execPath,
    [
      path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '-c',
      'renderer/vite.config.ts',
    ],
    { cwd: REPO_ROOT, timeout: BUILD_TIMEOUT_MS },
  ).catch((error: Error & { stderr?: string }) => {
    throw new Error(`The dashboard did not build (npm run build:renderer): ${error.stderr || error.message}`);
  });
}

async function mtimeMs(file: string): Promise<number | undefined> {
  return fs.stat(file).then(
    (stat) => stat.mtimeMs,
    () => undefined,
  );
}

async function newestMtimeMs(roots: string[]): Promise<number> {
  let newest = 0;
  for (const root of roots) {
    for (const entry of await fs.readdir(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || /\.test\.tsx?$/.test(entry.name)) continue;
      const file = path.join(entry.parentPath, entry.name);
      newest = Math.max(newest, (await mtimeMs(file)) ?? 0);
    }
  }
  return newest;
}
