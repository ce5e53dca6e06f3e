/**
 * Renders the app and tray icons from the SVG sources in resources/src with Chromium, and packs the app icon
 * into the .icns (macOS) and .ico (Windows) containers electron-builder copies as they are. Committing the
 * containers keeps packaging offline: without them electron-builder downloads a converter on every build.
 *
 * Run with `npm run icons`; needs Chromium (KIRO_DOCK_CHROMIUM, default /usr/bin/chromium).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { trayTemplateFileName } from '../electron/main/trayIcons.ts';
import { headlessChromium } from '../test/e2e/launchChromium.ts';

const RESOURCES = path.dirname(fileURLToPath(import.meta.url));
const SOURCES = path.join(RESOURCES, 'src');

export const TRAY_STATES = ['running', 'stopped', 'degraded', 'no-accounts'] as const;
/** 16 px at 1x is the tray size Windows and most Linux panels use, and the height macOS gives a glyph. */
const TRAY_SIZE = 16;
/** Every size a Windows shell view asks for; 256 is the largest ICO entry and what installers require. */
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS entry types that hold PNG data, with the pixel size each one carries (the @2x types double up). */
const ICNS_ENTRIES: ReadonlyArray<[type: string, pixels: number]> = [
  ['ic11', 32],
  ['ic12', 64],
  ['ic07', 128],
  ['ic13', 256],
  ['ic08', 256],
  ['ic14', 512],
  ['ic09', 512],
  ['ic10', 1024],
];

/** Draws one SVG at an exact pixel size on a transparent page and returns the PNG bytes. */
async function renderSvg(page: Page, svg: string, pixels: number): Promise<Buffer> {
  await page.setViewportSize({ width: pixels, height: pixels });
  await page.setContent(
    `<!doctype html><style>html,body{margin:0;background:transparent}` +
      `svg{display:block;width:${pixels}px;height:${pixels}px}</style>${svg}`,
  );
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: pixels, height: pixels } });
}

export function icoFile(pngs: ReadonlyArray<{ pixels: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2); // type 1: icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length + 16 * pngs.length;
  const entries = pngs.map(({ pixels, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(pixels >= 256 ? 0 : pixels, 0); // 0 means 256 in a one-byte field
    entry.writeUInt8(pixels >= 256 ? 0 : pixels, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...pngs.map(({ png }) => png)]);
}

export function icnsFile(entries: ReadonlyArray<{ type: string; png: Buffer }>): Buffer {
  const chunks = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

async function renderAppIcon(page: Page): Promise<void> {
  const svg = await readFile(path.join(SOURCES, 'icon.svg'), 'utf8');
  const sizes = [...new Set([...ICO_SIZES, ...ICNS_ENTRIES.map(([, pixels]) => pixels)])];
  const pngBySize = new Map<number, Buffer>();
  for (const pixels of sizes) pngBySize.set(pixels, await renderSvg(page, svg, pixels));
  const png = (pixels: number): Buffer => pngBySize.get(pixels) as Buffer;
  await writeFile(path.join(RESOURCES, 'icon.png'), png(1024));
  await writeFile(
    path.join(RESOURCES, 'icon.ico'),
    icoFile(ICO_SIZES.map((pixels) => ({ pixels, png: png(pixels) }))),
  );
  await writeFile(
    path.join(RESOURCES, 'icon.icns'),
    icnsFile(ICNS_ENTRIES.map(([type, pixels]) => ({ type, png: png(pixels) }))),
  );
}

/** Tray ICO sizes: 16 px at 100 % up to 32 px at 200 % display scaling, so Windows never scales one itself. */
const TRAY_ICO_SIZES = [16, 20, 24, 32];

/**
 * The tray's files per state: colour PNGs (Linux), their ICO (Windows) and the macOS template pair, whose names
 * must end in "Template" (electron/main/trayIcons.ts names them; Electron marks only such files as templates).
 */
async function renderTrayIcons(page: Page): Promise<void> {
  const tray = (name: string) => path.join(RESOURCES, 'tray', name);
  for (const state of TRAY_STATES) {
    const colour = await readFile(path.join(SOURCES, `tray-${state}.svg`), 'utf8');
    const template = await readFile(path.join(SOURCES, `trayTemplate-${state}.svg`), 'utf8');
    await writeFile(tray(`tray-${state}.png`), await renderSvg(page, colour, TRAY_SIZE));
    await writeFile(tray(`tray-${state}@2x.png`), await renderSvg(page, colour, TRAY_SIZE * 2));
    const icoPngs = [];
    for (const pixels of TRAY_ICO_SIZES) icoPngs.push({ pixels, png: await renderSvg(page, colour, pixels) });
    await writeFile(tray(`tray-${state}.ico`), icoFile(icoPngs));
    const templateName = trayTemplateFileName(state).replace(/\.png$/, '');
    await writeFile(tray(`${templateName}.png`), await renderSvg(page, template, TRAY_SIZE));
    await writeFile(tray(`${templateName}@2x.png`), await renderSvg(page, template, TRAY_SIZE * 2));
  }
}

async function main(): Promise<void> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'kiro-dock-icons-'));
  const context = await chromium.launchPersistentContext(profile, headlessChromium());
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await renderAppIcon(page);
    await renderTrayIcons(page);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
