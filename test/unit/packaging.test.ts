/**
 * The desktop packaging, checked here because installers can only be built on each OS's runner:
 * electron-builder.yml against electron-builder's own loader and schema and the product's requirements, the icons
 * it references, and the release workflow. Each requirement is also shown catching a broken copy.
 */
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// electron-builder's own config loader and validator (app-builder-lib and builder-util are the exact versions
// electron-builder pins), so the file is read and judged exactly as `electron-builder` will.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { trayIconFileName } from '../../electron/main/trayIcons.ts';
import type { TrayState } from '../../electron/main/trayMenuModel.ts';
import { icoFile, TRAY_STATES as RENDERED_TRAY_STATES } from '../../resources/render-icons.ts';
import {
  appIconProblems,
  builderConfigProblems,
  manifestProblems,
  trayIconProblems,
  type PackageManifest,
} from './packagingRules.ts';
import { workflowProblems, type Workflow, type WorkflowStep } from './releaseWorkflowRules.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Every state the tray can show; the `satisfies` fails to compile when the tray gains or loses one. */
const TRAY_STATES = Object.keys({ running: 1, stopped: 1, degraded: 1, 'no-accounts': 1 } satisfies Record<
  TrayState,
  1
>);

/** The names the app loads (electron/main/trayIcons.ts), per OS. */
const TRAY_FILES = (state: string) => ({
  colour: trayIconFileName(state as TrayState, 'linux'),
  template: trayIconFileName(state as TrayState, 'darwin'),
  ico: trayIconFileName(state as TrayState, 'win32'),
});

/** electron-builder's option types are read-only; the broken copies below are edited in place. */
const editable = <T extends object>(value: T): { -readonly [K in keyof T]: T[K] } => value;

let config: Configuration;
const copy = (): Configuration => structuredClone(config);

beforeAll(async () => {
  config = await getConfig(ROOT, path.join(ROOT, 'electron-builder.yml'), null);
});

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(copy(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is rejected by that validation when an option is misspelled or mistyped', async () => {
    const misspelled = copy();
    (misspelled.electronFuses as Record<string, boolean>)['runAsnode'] = false;
    await expect(validateConfiguration(misspelled, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
    const mistyped = copy();
    editable(mistyped).nsis = { ...mistyped.nsis, oneClick: 'sometimes' as unknown as boolean };
    await expect(validateConfiguration(mistyped, new DebugLogger(false))).rejects.toThrow(/nsis/);
  });

  it('meets the product requirements', () => {
    expect(builderConfigProblems(config)).toEqual([]);
  });

  const breakages: Array<[string, (broken: Configuration) => void, string]> = [
    [
      'a source folder in files',
      (c) => (editable(c).files = ['out/**', 'package.json', 'electron/**']),
      'files is',
    ],
    [
      'a copied folder in files',
      (c) => (editable(c).files = [{ from: 'test', to: '.', filter: ['**/*'] }]),
      'files is',
    ],
    [
      'a missing Mac arch',
      (c) => (editable(c.mac!).target = [{ target: 'dmg', arch: ['x64'] }]),
      'mac dmg lacks arm64',
    ],
    [
      'no Mac zip',
      (c) => (editable(c.mac!).target = [{ target: 'dmg', arch: ['x64', 'arm64'] }]),
      'mac does not build zip',
    ],
    ['a one-click installer', (c) => (editable(c.nsis!).oneClick = true), 'nsis.oneClick'],
    ['a per-machine install', (c) => (editable(c.nsis!).perMachine = true), 'nsis.perMachine'],
    ['no deb', (c) => (editable(c.linux!).target = 'AppImage'), 'linux does not build deb'],
    ['a Dock icon', (c) => (editable(c.mac!).extendInfo = {}), 'LSUIElement'],
    ['run-as-node left on', (c) => (editable(c.electronFuses!).runAsNode = true), 'electronFuses'],
    ['a fuse left out', (c) => delete c.electronFuses!.enableCookieEncryption, 'electronFuses'],
    ['native addons in the asar', (c) => (editable(c).asarUnpack = []), 'asarUnpack'],
    ['no tray icons', (c) => (editable(c).extraResources = []), 'extraResources'],
    ['a maintainer without email', (c) => (editable(c.linux!).maintainer = 'Kiro Dock'), 'linux.maintainer'],
    [
      'an AppImage',
      (c) => (editable(c.linux!).target = [{ target: 'AppImage', arch: ['x64'] }, 'deb']),
      'linux builds an AppImage',
    ],
    [
      'a deb for x64 only',
      (c) => (editable(c.linux!).target = [{ target: 'deb', arch: ['x64'] }]),
      'lacks arm64',
    ],
    [
      'an installer for x64 only',
      (c) => (editable(c.win!).target = [{ target: 'nsis', arch: ['x64'] }]),
      'win nsis lacks arm64',
    ],
    ["electron-builder's default deb recommends", (c) => delete editable(c.deb!).recommends, 'Debian 12'],
    ['no update feed', (c) => delete editable(c).publish, 'publish is not GitHub'],
    [
      'no ad-hoc re-signature after the fuses',
      (c) => delete editable(c.electronFuses!).resetAdHocDarwinSignature,
      'electronFuses',
    ],
    ['every sql.js build shipped', (c) => (editable(c).files = ['out/**', 'package.json']), 'files is'],
  ];
  it.each(breakages)('catches %s', (_, breakIt, expected) => {
    const broken = copy();
    breakIt(broken);
    expect(builderConfigProblems(broken).join('\n')).toContain(expected);
  });
});

describe('package.json for Electron', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageManifest;

  it('points Electron at the bundled main process and has a dist script per OS', () => {
    expect(manifestProblems(manifest)).toEqual([]);
  });

  it('catches a dist script that would publish or a main outside the bundles', () => {
    const broken = structuredClone(manifest);
    broken.main = 'electron/main/index.ts';
    broken.scripts = { ...broken.scripts, 'dist:win': 'electron-vite build && electron-builder --win' };
    expect(manifestProblems(broken)).toEqual([
      expect.stringContaining('main'),
      expect.stringContaining('dist:win'),
    ]);
  });
});

describe('icons', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'kiro-dock-packaging-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has app icons of the sizes each OS needs', () => {
    expect(appIconProblems(config, ROOT)).toEqual([]);
  });

  it('catches a missing, small or mislabelled app icon', () => {
    const broken = copy();
    editable(broken.linux!).icon = 'resources/tray/tray-running@2x.png';
    expect(appIconProblems(broken, ROOT)).toEqual(['linux icon is 32x32, expected 1024x1024']);
    editable(broken.mac!).icon = 'resources/icon.missing.icns';
    expect(appIconProblems(broken, ROOT)[0]).toContain('missing app icon');
    const smallPng = readFileSync(path.join(ROOT, 'resources/tray/tray-running@2x.png'));
    const mislabelled = path.join(scratch, 'mislabelled.ico');
    writeFileSync(mislabelled, icoFile([{ pixels: 256, png: smallPng }]));
    const badIco = copy();
    editable(badIco.win!).icon = mislabelled;
    expect(appIconProblems(badIco, ROOT)).toEqual(['win icon: the 256 px entry holds a PNG of another size']);
  });

  it('has a colour and a template tray icon, 1x and 2x, and an ICO, for every tray state the app shows', () => {
    expect([...RENDERED_TRAY_STATES].sort()).toEqual([...TRAY_STATES].sort());
    expect(trayIconProblems(config, ROOT, TRAY_STATES, TRAY_FILES)).toEqual([]);
  });

  it('catches a missing, mis-sized, coloured-template or duplicated tray icon', () => {
    const tray = path.join(scratch, 'tray');
    cpSync(path.join(ROOT, 'resources/tray'), tray, { recursive: true });
    copyFileSync(path.join(tray, 'tray-running.png'), path.join(tray, 'trayRunningTemplate.png'));
    copyFileSync(path.join(tray, 'trayStoppedTemplate.png'), path.join(tray, 'trayStoppedTemplate@2x.png'));
    copyFileSync(path.join(tray, 'tray-running@2x.png'), path.join(tray, 'tray-degraded@2x.png'));
    writeFileSync(
      path.join(tray, 'tray-stopped.ico'),
      icoFile([{ pixels: 32, png: readFileSync(path.join(tray, 'tray-stopped@2x.png')) }]),
    );
    const broken = copy();
    editable(broken).extraResources = [{ from: tray, to: 'tray' }];
    expect(trayIconProblems(broken, ROOT, [...TRAY_STATES, 'paused'], TRAY_FILES)).toEqual([
      'tray-paused.png is missing',
      'tray-paused@2x.png is missing',
      expect.stringMatching(/^trayRunningTemplate\.png is a template image with \d+ non-black pixels$/),
      'trayPausedTemplate.png is missing',
      'trayStoppedTemplate@2x.png is 16x16',
      'trayPausedTemplate@2x.png is missing',
      'tray-stopped.ico has no 16 px image',
      'tray-paused.ico is missing',
    ]);
    expect(trayIconProblems(broken, ROOT, TRAY_STATES, TRAY_FILES)).toEqual([
      'two colour@2x states share one picture',
      expect.stringContaining('trayRunningTemplate.png is a template image'),
      'trayStoppedTemplate@2x.png is 16x16',
      'tray-stopped.ico has no 16 px image',
    ]);
    const oldNames = (state: string) => ({ ...TRAY_FILES(state), template: `trayTemplate-${state}.png` });
    expect(trayIconProblems(config, ROOT, ['running'], oldNames)).toEqual([
      'trayTemplate-running.png is missing',
      'trayTemplate-running@2x.png is missing',
      'trayTemplate-running.png is not named …Template.png, so macOS shows it black',
    ]);
  });
});

describe('release workflow', () => {
  const workflow = parse(readFileSync(path.join(ROOT, '.github/workflows/release.yml'), 'utf8')) as Workflow;
  const copyWorkflow = (): Workflow => structuredClone(workflow);
  const packageSteps = (w: Workflow): WorkflowStep[] => w.jobs!['package']!.steps!;
  const stepRunning = (w: Workflow, text: string): WorkflowStep =>
    packageSteps(w).find((step) => step.run?.includes(text))!;
  const stepIf = (w: Workflow, condition: string): WorkflowStep =>
    packageSteps(w).find((step) => step.if === condition)!;

  it('builds, smoke-tests and uploads on macOS, Windows and Linux, and releases on tags', () => {
    expect(workflowProblems(workflow)).toEqual([]);
  });

  const breakages: Array<[string, (broken: Workflow) => void, string]> = [
    ['a dropped OS', (w) => w.jobs!['package']!.strategy!.matrix!.include!.pop(), 'matrix runs on'],
    ['no tag trigger', (w) => (w.on!.push!.tags = ['release-*']), 'v* tags'],
    ['one dist script for all', (w) => (stepRunning(w, 'npm run').run = 'npm run dist:linux'), 'dist:mac'],
    [
      'no xvfb on Linux',
      (w) => (stepRunning(w, 'xvfb-run').run = 'npx tsx test/smoke/desktopSmoke.ts'),
      'xvfb',
    ],
    ['the smoke test moved first', (w) => packageSteps(w).reverse(), 'smoke test does not run after'],
    [
      'an untested OS',
      (w) => (stepIf(w, "runner.os != 'Linux'").if = "runner.os == 'macOS'"),
      'on windows-latest',
    ],
    ['a download', (w) => packageSteps(w).push({ run: 'curl -fsSL https://get.example | sh' }), 'downloads'],
    ['debs left behind', (w) => (packageSteps(w).at(-1)!.with!['path'] = 'release/*.zip'), '.deb'],
    ['no update feeds', (w) => (packageSteps(w).at(-1)!.with!['path'] = 'release/*.deb'), 'latest*.yml'],
    ['Node 20', (w) => (packageSteps(w)[1]!.with!['node-version'] = 20), 'Node 22 or 24'],
    [
      'an old action',
      (w) => (packageSteps(w)[0]!.uses = 'actions/checkout@v4'),
      'older than actions/checkout@v5',
    ],
    [
      'a smoke test without the sandbox',
      (w) => (stepRunning(w, 'xvfb-run --auto-servernum npx').run += ' -- --no-sandbox'),
      '--no-sandbox',
    ],
    [
      'no signature check on macOS',
      (w) =>
        (stepRunning(w, 'codesign').run = stepRunning(w, 'codesign').run!.replace(/codesign[^\n]*\n/, '')),
      'codesign --verify',
    ],
    [
      'the self-test of the unpacked app instead of the installed deb',
      (w) =>
        (stepRunning(w, 'apt-get install -y ./release').run = 'release/linux-unpacked/kiro-dock --self-test'),
      'apt-get install',
    ],
    [
      'no silent install on Windows',
      (w) => (stepRunning(w, '/S').run = stepRunning(w, '/S').run!.replace(' /S', '')),
      'on windows-latest: no step after the build',
    ],
    ['releases from branches', (w) => delete w.jobs!['publish']!.if, 'not limited to tags'],
  ];
  it("starts the packaged app with Chromium's sandbox on, in the workflow and in the smoke test", () => {
    const smoke = readFileSync(path.join(ROOT, 'test/smoke/desktopSmoke.ts'), 'utf8');
    expect(smoke).not.toMatch(/['"]--no-sandbox['"]/);
    expect(workflowProblems(workflow).filter((problem) => problem.includes('sandbox'))).toEqual([]);
  });

  it('signs ad hoc on macOS when the release has no Developer ID certificate', () => {
    const mac = stepRunning(workflow, 'npm run dist:mac');
    expect(mac.run).toMatch(
      /if \[ -n "\$CSC_LINK" \][\s\S]*else[\s\S]*npm run dist:mac -- -c\.mac\.identity=-/,
    );
  });

  it.each(breakages)('catches %s', (_, breakIt, expected) => {
    const broken = copyWorkflow();
    breakIt(broken);
    expect(workflowProblems(broken).join('\n')).toContain(expected);
  });
});
