/**
 * The names on the release page against the README, and the app's own payload: the sql.js builds Node never
 * loads stay out of app.asar while the one it loads stays in.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { installerNames, keptFiles, readmeNameProblems } from './releaseArtifactRules.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NAME = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string }).name;
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

let config: Configuration;
beforeAll(async () => {
  config = await getConfig(ROOT, path.join(ROOT, 'electron-builder.yml'), null);
});

describe('installer names', () => {
  it('are the ones the README lists, for every OS and CPU', () => {
    const names = installerNames(config, NAME);
    expect(names).toEqual([
      'kiro-dock-<version>-mac-x64.dmg',
      'kiro-dock-<version>-mac-arm64.dmg',
      'kiro-dock-<version>-mac-x64.zip',
      'kiro-dock-<version>-mac-arm64.zip',
      'kiro-dock-<version>-win-setup.exe',
      'kiro-dock-<version>-linux-amd64.deb',
      'kiro-dock-<version>-linux-arm64.deb',
    ]);
    expect(readmeNameProblems(README, names)).toEqual([]);
  });

  it('catches a README that names what the build does not make', () => {
    const stale = README.replace('kiro-dock-<version>-linux-arm64.deb', 'Kiro-Dock-<version>.AppImage');
    expect(readmeNameProblems(stale, installerNames(config, NAME))).toEqual([
      'the README does not list kiro-dock-<version>-linux-arm64.deb',
    ]);
  });
});

describe('sql.js in app.asar', () => {
  const require = createRequire(import.meta.url);
  const main = require.resolve('sql.js');
  const packageDir = path.join(ROOT, 'node_modules', 'sql.js');
  const dist = (file: string) => path.posix.join('node_modules/sql.js/dist', file);

  it('keeps the build Node loads and the WebAssembly it reads, and nothing else of dist/', () => {
    expect(path.relative(packageDir, main)).toBe(path.join('dist', 'sql-wasm.js'));
    const kept = keptFiles(config, path.join(packageDir, 'dist'), 'node_modules/sql.js/dist');
    expect(kept.sort()).toEqual([dist('sql-wasm.js'), dist('sql-wasm.wasm')]);
    // The loader looks for its .wasm by this name beside itself.
    expect(readFileSync(main, 'utf8')).toContain('sql-wasm.wasm');
  });

  it('would keep every build without the exclusion', () => {
    const unpruned = { ...config, files: ['out/**', 'package.json'] };
    expect(
      keptFiles(unpruned, path.join(packageDir, 'dist'), 'node_modules/sql.js/dist').length,
    ).toBeGreaterThan(20);
  });
});
