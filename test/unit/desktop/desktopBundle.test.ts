/**
 * The built desktop app against what electron-builder ships. electron-builder packs `out/**` and the production
 * dependencies only, so the main bundle may load nothing else from node_modules; the preload runs sandboxed,
 * where only 'electron' can be required; and the paths the app loads must be the ones electron-vite writes.
 * Reads the bundles `npm run build:desktop` wrote (the gate builds them before the tests).
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import viteConfig from '../../../electron.vite.config.ts';
import { dashboardDirOf, DESKTOP_APP_ID, preloadPathOf } from '../../../electron/main/desktopBundle.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN_BUNDLE = path.join(ROOT, 'out', 'main', 'index.js');
const PRELOAD_BUNDLE = path.join(ROOT, 'out', 'preload', 'index.cjs');

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
};
const builder = parse(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as {
  appId: string;
  files: string[];
};

function readBundle(file: string): string {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:desktop\` first`);
  return readFileSync(file, 'utf8');
}

/** Every module specifier a bundle loads: static and dynamic imports, re-exports and require calls. */
function specifiersOf(code: string): string[] {
  const patterns = [
    /(?:^|[\n;])\s*(?:import|export)\b[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
    /(?:^|[\n;])\s*import\s*["']([^"']+)["']/g,
    /\b(?:import|require)\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return [...new Set(patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]!)))];
}

/** The package a bare specifier loads (`@scope/name/sub` → `@scope/name`), or undefined for paths. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || /^[a-z]+:/i.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Packages a bundle loads that the installed app will not have. */
function unshippedImports(code: string, dependencies: Record<string, string>): string[] {
  const available = new Set([...Object.keys(dependencies), ...builtinModules, 'electron']);
  return specifiersOf(code)
    .map(packageOf)
    .filter((name): name is string => name !== undefined && !available.has(name));
}

describe('main bundle', () => {
  const code = readBundle(MAIN_BUNDLE);

  it('is what package.json starts, as an ES module', () => {
    expect(path.join(ROOT, manifest.main)).toBe(MAIN_BUNDLE);
    expect(specifiersOf(code)).toContain('electron');
    expect(code).not.toMatch(/\brequire\(\s*["']electron["']\s*\)/);
  });

  it('loads only production dependencies, Node built-ins and Electron', () => {
    const loaded = specifiersOf(code).map(packageOf).filter(Boolean);
    expect(loaded).toEqual(expect.arrayContaining(['express', 'atomically', '@napi-rs/keyring']));
    expect(unshippedImports(code, manifest.dependencies)).toEqual([]);
  });

  it('the check catches a development-only package, however it is loaded', () => {
    const broken = [
      'import { describe } from "vitest";',
      'import "@testing-library/react/pure";',
      'const sdk = await import("@anthropic-ai/sdk");',
      'const t = require("tsx/cjs");',
      'import fs from "node:fs"; import path from "path"; import { x } from "./local.js";',
    ].join('\n');
    expect(unshippedImports(broken, manifest.dependencies)).toEqual([
      'vitest',
      '@testing-library/react',
      '@anthropic-ai/sdk',
      'tsx',
    ]);
  });
});

describe('preload bundle', () => {
  const code = readBundle(PRELOAD_BUNDLE);

  it("is one CommonJS file that requires nothing but 'electron' (a sandboxed preload can load nothing else)", () => {
    expect(specifiersOf(code)).toEqual(['electron']);
    expect(code).toMatch(/\brequire\(\s*["']electron["']\s*\)/);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toContain('import.meta');
  });
});

describe('paths the app loads', () => {
  const buildOf = (target: 'main' | 'preload' | 'renderer') =>
    (viteConfig as Record<string, { build: { outDir: string } }>)[target]!.build;
  const shipped = (file: string) =>
    builder.files.some((pattern) => pattern.endsWith('/**') && file.startsWith(pattern.slice(0, -2)));

  it('the preload the window loads is the file electron-vite writes, and it ships', () => {
    const preload = preloadPathOf(buildOf('main').outDir);
    expect(preload).toBe(PRELOAD_BUNDLE);
    expect(path.dirname(preload)).toBe(buildOf('preload').outDir);
    expect(shipped(path.relative(ROOT, preload).split(path.sep).join('/'))).toBe(true);
  });

  it('the dashboard the proxy serves in the app is the one electron-vite writes, and it ships', () => {
    const dashboard = dashboardDirOf(ROOT);
    expect(dashboard).toBe(buildOf('renderer').outDir);
    expect(existsSync(path.join(dashboard, 'index.html'))).toBe(true);
    expect(shipped(`${path.relative(ROOT, dashboard).split(path.sep).join('/')}/index.html`)).toBe(true);
  });

  it('notifications are attributed to the id the installers register', () => {
    expect(DESKTOP_APP_ID).toBe(builder.appId);
  });
});
