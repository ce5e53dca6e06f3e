/**
 * The product's packaging requirements as checks that return what is wrong (an empty list when all is well), so
 * the test can show each check against the real files and against a deliberately broken copy.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Configuration } from 'electron-builder';
import {
  decodePngRgba,
  icnsEntries,
  icoEntries,
  pngSize,
  type ContainedPng,
  type RgbaImage,
} from './iconFiles.ts';

export const EXPECTED_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  enableCookieEncryption: true,
  resetAdHocDarwinSignature: true,
};

/** The one exclusion in `files`: the sql.js builds Node never loads (releaseArtifactRules.ts checks it). */
export const SQL_JS_PRUNING = '!node_modules/sql.js/dist/!(sql-wasm.js|sql-wasm.wasm)';

/** Target name → CPU architectures ('default' when the target leaves it to electron-builder). */
export function targetsOf(platform: { target?: unknown } | null | undefined): Record<string, string[]> {
  const raw = platform?.target;
  const list: unknown[] = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  const targets: Record<string, string[]> = {};
  for (const entry of list) {
    if (typeof entry === 'string') targets[entry] = ['default'];
    else {
      const { target, arch } = entry as { target: string; arch?: string | string[] };
      targets[target] = arch === undefined ? ['default'] : Array.isArray(arch) ? arch : [arch];
    }
  }
  return targets;
}

/** The patterns of `files`, as written or as electron-builder's loader folds them into one file set. */
function filePatterns(files: Configuration['files']): string[] {
  return [files ?? []].flat().flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    // A set copied from elsewhere or to elsewhere is not the allowlist of the app's own files.
    if (entry.from !== undefined || entry.to !== undefined) return [`${entry.from} -> ${entry.to}`];
    return [entry.filter ?? []].flat();
  });
}

function same(problems: string[], what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    problems.push(`${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}

function requireTargets(
  problems: string[],
  os: string,
  actual: Record<string, string[]>,
  wanted: string[][],
) {
  for (const [target, ...archs] of wanted) {
    const built = actual[target!];
    if (!built) problems.push(`${os} does not build ${target}`);
    else for (const arch of archs) if (!built.includes(arch)) problems.push(`${os} ${target} lacks ${arch}`);
  }
}

function platformProblems(config: Configuration): string[] {
  const problems: string[] = [];
  requireTargets(problems, 'mac', targetsOf(config.mac), [
    ['dmg', 'x64', 'arm64'],
    ['zip', 'x64', 'arm64'],
  ]);
  same(problems, 'mac.category', config.mac?.category, 'public.app-category.developer-tools');
  same(problems, 'mac.hardenedRuntime', config.mac?.hardenedRuntime, true);
  same(
    problems,
    'mac.extendInfo.LSUIElement',
    (config.mac?.extendInfo as Record<string, unknown>)?.['LSUIElement'],
    true,
  );
  requireTargets(problems, 'win', targetsOf(config.win), [['nsis', 'x64', 'arm64']]);
  same(problems, 'nsis.oneClick', config.nsis?.oneClick, false);
  same(problems, 'nsis.perMachine', config.nsis?.perMachine, false);
  same(
    problems,
    'nsis.allowToChangeInstallationDirectory',
    config.nsis?.allowToChangeInstallationDirectory,
    true,
  );
  requireTargets(problems, 'linux', targetsOf(config.linux), [['deb', 'x64', 'arm64']]);
  // An AppImage cannot use Chromium's sandbox on Ubuntu 24.04+: it would only run with --no-sandbox.
  if ('AppImage' in targetsOf(config.linux)) problems.push('linux builds an AppImage');
  const recommends = [config.deb?.recommends ?? ['libappindicator3-1']].flat();
  if (recommends.some((name) => /appindicator/.test(name ?? '')))
    problems.push(`deb recommends ${recommends.join(', ')}, which Debian 12 does not have`);
  same(problems, 'linux.category', config.linux?.category, 'Development');
  if (!/^[^<>]+ <[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+>$/.test(config.linux?.maintainer ?? '')) {
    problems.push(`linux.maintainer ${JSON.stringify(config.linux?.maintainer)} is not "Name <email>"`);
  }
  return problems;
}

/** What electron-builder.yml must say, beyond being valid for electron-builder's schema. */
export function builderConfigProblems(config: Configuration): string[] {
  const problems: string[] = [];
  same(problems, 'appId', config.appId, 'dev.kirodock.app');
  same(problems, 'productName', config.productName, 'Kiro Dock');
  same(problems, 'directories.output', config.directories?.output, 'release');
  same(problems, 'directories.buildResources', config.directories?.buildResources, 'resources');
  // Exactly the bundles and the manifest: anything else would ship sources, tests or tooling.
  same(problems, 'files', filePatterns(config.files), ['out/**', 'package.json', SQL_JS_PRUNING]);
  same(problems, 'asar', config.asar, true);
  const unpacked = [config.asarUnpack ?? []].flat();
  if (!unpacked.includes('**/*.node')) problems.push('asarUnpack does not unpack native .node addons');
  same(problems, 'electronFuses', config.electronFuses, EXPECTED_FUSES);
  const publish = [config.publish ?? []].flat()[0];
  if (typeof publish !== 'object' || publish === null || publish.provider !== 'github')
    problems.push('publish is not GitHub releases (the update feed electron-updater reads)');
  const extra = [config.extraResources ?? []].flat();
  if (
    !extra.some(
      (entry) => typeof entry === 'object' && entry.from === 'resources/tray' && entry.to === 'tray',
    )
  ) {
    problems.push('extraResources does not copy resources/tray to tray');
  }
  return [...problems, ...platformProblems(config)];
}

export interface PackageManifest {
  main?: string;
  scripts?: Record<string, string>;
}

export function manifestProblems(manifest: PackageManifest): string[] {
  const problems: string[] = [];
  same(problems, 'package.json main', manifest.main, 'out/main/index.js');
  for (const os of ['mac', 'win', 'linux']) {
    same(
      problems,
      `script dist:${os}`,
      manifest.scripts?.[`dist:${os}`],
      `electron-vite build && electron-builder --${os} --publish never`,
    );
  }
  return problems;
}

/** Like electron-builder: an icon path is looked up in buildResources first, then in the project folder. */
function resolveResource(
  config: Configuration,
  root: string,
  file: string | null | undefined,
): string | undefined {
  if (!file) return undefined;
  const candidates = [
    path.resolve(root, config.directories?.buildResources ?? 'build', file),
    path.resolve(root, file),
  ];
  return candidates.find((candidate) => existsSync(candidate));
}

function containerProblems(what: string, entries: ContainedPng[], largest: number): string[] {
  const problems = entries
    .filter(({ declaredPixels, png }) => {
      const { width, height } = pngSize(png);
      return width !== declaredPixels || height !== declaredPixels;
    })
    .map(({ declaredPixels }) => `${what}: the ${declaredPixels} px entry holds a PNG of another size`);
  if (!entries.some(({ declaredPixels }) => declaredPixels === largest))
    problems.push(`${what} has no ${largest} px image`);
  return problems;
}

/** The app icons each OS's packaging reads, with the sizes electron-builder and the OS need. */
export function appIconProblems(config: Configuration, root: string): string[] {
  const icns = resolveResource(config, root, config.mac?.icon);
  const ico = resolveResource(config, root, config.win?.icon);
  const png = resolveResource(config, root, config.linux?.icon);
  if (!icns || !ico || !png) return [`missing app icon (mac ${icns}, win ${ico}, linux ${png})`];
  const problems = [
    ...containerProblems('mac icon', icnsEntries(readFileSync(icns)), 1024),
    ...containerProblems('win icon', icoEntries(readFileSync(ico)), 256),
  ];
  const { width, height } = pngSize(readFileSync(png));
  if (width !== 1024 || height !== 1024)
    problems.push(`linux icon is ${width}x${height}, expected 1024x1024`);
  return problems;
}

const visible = (image: RgbaImage, test: (r: number, g: number, b: number) => boolean): number => {
  let count = 0;
  for (let i = 0; i < image.pixels.length; i += 4) {
    if (image.pixels[i + 3]! > 0 && test(image.pixels[i]!, image.pixels[i + 1]!, image.pixels[i + 2]!))
      count++;
  }
  return count;
};

/** One tray picture: its pixel size, and for macOS templates Apple's rule of black plus alpha only. */
function trayImageProblems(file: string, pixels: number, template: boolean): string[] {
  if (!existsSync(file)) return [`${path.basename(file)} is missing`];
  const image = decodePngRgba(readFileSync(file));
  const name = path.basename(file);
  if (image.width !== pixels || image.height !== pixels) return [`${name} is ${image.width}x${image.height}`];
  if (visible(image, () => true) === 0) return [`${name} is empty`];
  const coloured = visible(image, (r, g, b) => r + g + b > 0);
  if (template && coloured > 0) return [`${name} is a template image with ${coloured} non-black pixels`];
  if (!template && coloured === 0) return [`${name} is black only, like a template image`];
  return [];
}

/** A state's tray files: the colour PNG pair (Linux) and the macOS template pair, `…Template` names. */
export type TrayFileNames = (state: string) => { colour: string; template: string; ico: string };

/** The Windows tray ICO: 16 px (100 %) and 32 px (200 %) entries at least, each its declared size. */
function trayIcoProblems(file: string): string[] {
  if (!existsSync(file)) return [`${path.basename(file)} is missing`];
  const entries = icoEntries(readFileSync(file));
  const problems = containerProblems(path.basename(file), entries, 32);
  if (!entries.some(({ declaredPixels }) => declaredPixels === 16))
    problems.push(`${path.basename(file)} has no 16 px image`);
  return problems;
}

/** Every tray state has its pictures (colour and template, 1x and 2x, and an ICO), each telling its state apart. */
export function trayIconProblems(
  config: Configuration,
  root: string,
  states: readonly string[],
  names: TrayFileNames,
): string[] {
  const extra = [config.extraResources ?? []]
    .flat()
    .find((entry) => typeof entry === 'object' && entry.to === 'tray');
  if (typeof extra !== 'object' || !extra.from) return ['no extraResources entry for the tray icons'];
  const dir = path.resolve(root, extra.from);
  const problems: string[] = [];
  for (const family of ['colour', 'template'] as const) {
    for (const [suffix, pixels] of [
      ['', 16],
      ['@2x', 32],
    ] as const) {
      const files = states.map((state) =>
        path.join(dir, names(state)[family].replace(/\.png$/, `${suffix}.png`)),
      );
      const found = files.map((file) => trayImageProblems(file, pixels, family === 'template'));
      problems.push(...found.flat());
      if (found.some((list) => list.length > 0)) continue;
      const contents = new Set(files.map((file) => readFileSync(file).toString('base64')));
      if (contents.size < states.length) problems.push(`two ${family}${suffix} states share one picture`);
    }
  }
  for (const state of states) {
    problems.push(...trayIcoProblems(path.join(dir, names(state).ico)));
    const { template } = names(state);
    if (!/Template\.png$/.test(template))
      problems.push(`${template} is not named …Template.png, so macOS shows it black`);
  }
  return problems;
}
