/**
 * What users download and what the app carries: the installer names electron-builder will give each target
 * (computed with electron-builder's own macro expansion, so they are the names on the release page) and the
 * sql.js builds the `files` exclusion drops (matched the way electron-builder matches, minimatch with dot files).
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expandMacro } from 'app-builder-lib/out/util/macroExpander.js';
import { getArtifactArchName } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { targetsOf } from './packagingRules.ts';

const requireFromBuilder = createRequire(
  createRequire(import.meta.url).resolve('app-builder-lib/package.json'),
);
/** electron-builder's own minimatch (v10), not the older copy at the top of node_modules. */
const { minimatch } = requireFromBuilder('minimatch') as {
  minimatch(file: string, pattern: string, options: { dot: boolean }): boolean;
};

const ARCH_NUMBERS: Record<string, number> = { ia32: 0, x64: 1, armv7l: 2, arm64: 3, universal: 4 };

/** electron-builder's key per OS, which `${os}` expands to. */
const OS_KEYS = { mac: 'mac', win: 'win', linux: 'linux' } as const;

/** Every installer name a release gets, with `<version>` for the version. */
export function installerNames(config: Configuration, name: string): string[] {
  const appInfo = {
    name,
    version: '<version>',
    sanitizedProductName: config.productName,
    productName: config.productName,
  };
  const names: string[] = [];
  for (const os of Object.keys(OS_KEYS) as Array<keyof typeof OS_KEYS>) {
    for (const [target, archs] of Object.entries(targetsOf(config[os]))) {
      const ext = target === 'nsis' ? 'exe' : target;
      const options = (config as Record<string, { artifactName?: string | null } | undefined>)[target];
      const pattern = options?.artifactName ?? config[os]?.artifactName ?? config.artifactName;
      if (!pattern) throw new Error(`no artifactName applies to ${os} ${target}`);
      // A multi-CPU NSIS pattern without ${arch} is one installer for all of them.
      const perArch = target === 'nsis' && !pattern.includes('${arch}') ? [undefined] : archs;
      for (const arch of perArch) {
        const archName = arch === undefined ? null : getArtifactArchName(ARCH_NUMBERS[arch]!, ext);
        names.push(expandMacro(pattern, archName, appInfo as never, { os: OS_KEYS[os], ext }));
      }
    }
  }
  return names;
}

export function readmeNameProblems(readme: string, names: readonly string[]): string[] {
  return names
    .filter((name) => !readme.includes(`\`${name}\``))
    .map((name) => `the README does not list ${name}`);
}

/** The files of a package folder that the `files` patterns keep (negated patterns exclude, as in electron-builder). */
export function keptFiles(config: Configuration, packageDir: string, relativeRoot: string): string[] {
  // electron-builder's loader folds plain patterns into one file set's filter.
  const exclusions = [config.files ?? []]
    .flat()
    .flatMap((entry) => (typeof entry === 'string' ? [entry] : [entry.filter ?? []].flat()))
    .filter((pattern) => pattern.startsWith('!'))
    .map((pattern) => pattern.slice(1));
  return readdirSync(packageDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.posix.join(relativeRoot, path.relative(packageDir, path.join(entry.parentPath, entry.name))),
    )
    .filter((file) => !exclusions.some((pattern) => minimatch(file, pattern, { dot: true })));
}
