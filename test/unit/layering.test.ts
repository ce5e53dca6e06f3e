/**
 * The core runs in three hosts (Electron main, `kiro-dock serve`, tests), so it may import neither Electron nor
 * anything from a host or from the tests. Lint enforces this while editing; this test enforces it in CI.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles, specifiersOf as importsOf } from '../support/importGraph.ts';

const CORE = path.resolve('electron/core');

describe('electron/core layering', () => {
  const files = sourceFiles(CORE);

  it('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('never imports electron', () => {
    const offenders = files.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier === 'electron' || specifier.startsWith('electron/'))
        .map((specifier) => `${path.relative(CORE, file)} → ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('never reaches outside the core except into shared/', () => {
    const shared = path.resolve('shared');
    const offenders = files.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => path.resolve(path.dirname(file), specifier))
        .filter((target) => !target.startsWith(CORE + path.sep) && !target.startsWith(shared + path.sep))
        .map((target) => `${path.relative(CORE, file)} → ${path.relative(process.cwd(), target)}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe('renderer/ and shared/ layering', () => {
  // The dashboard runs sandboxed in Electron and in a plain browser; shared/ is imported by every runtime.
  const roots = [path.resolve('renderer/src'), path.resolve('shared')];
  const files = roots.flatMap((root) => sourceFiles(root));
  const nodeBuiltins = new Set(builtinModules);

  it('finds their sources', () => {
    expect(files.some((file) => file.endsWith('.tsx'))).toBe(true);
    expect(files.some((file) => file.startsWith(roots[1]!))).toBe(true);
  });

  it('never import electron or a Node built-in', () => {
    const offenders = files.flatMap((file) =>
      importsOf(file)
        .filter(
          (specifier) =>
            specifier === 'electron' ||
            specifier.startsWith('electron/') ||
            specifier.startsWith('node:') ||
            nodeBuiltins.has(specifier.split('/')[0]!),
        )
        .map((specifier) => `${path.relative(process.cwd(), file)} → ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });
});
