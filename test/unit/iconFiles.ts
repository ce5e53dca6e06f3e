/**
 * Readers for the icon formats the packaging ships (PNG, ICO, ICNS), written against the file formats' own
 * layouts so the packaging test checks the bytes electron-builder and the OS will read.
 */
import { inflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngSize {
  width: number;
  height: number;
}

/** Width and height from the IHDR chunk, which the PNG format puts first. */
export function pngSize(png: Buffer): PngSize {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('PNG without a leading IHDR chunk');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export interface RgbaImage extends PngSize {
  /** width × height × 4 bytes, row by row, unpremultiplied. */
  pixels: Uint8Array;
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const [toLeft, toUp, toUpLeft] = [left, up, upLeft].map((value) => Math.abs(estimate - value));
  if (toLeft! <= toUp! && toLeft! <= toUpLeft!) return left;
  return toUp! <= toUpLeft! ? up : upLeft;
}

/** Undoes PNG's per-row filters (types 0–4) for 4-byte pixels. */
function unfilter(data: Buffer, width: number, height: number): Uint8Array {
  const stride = width * 4;
  const pixels = new Uint8Array(stride * height);
  for (let row = 0; row < height; row++) {
    const filter = data[row * (stride + 1)];
    const line = data.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? pixels[row * stride + i - 4]! : 0;
      const up = row > 0 ? pixels[(row - 1) * stride + i]! : 0;
      const upLeft = row > 0 && i >= 4 ? pixels[(row - 1) * stride + i - 4]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter!];
      if (predictor === undefined) throw new Error(`PNG row ${row} has unknown filter ${filter}`);
      pixels[row * stride + i] = (line[i]! + predictor) & 0xff;
    }
  }
  return pixels;
}

/** Decodes the 8-bit RGBA, non-interlaced PNGs Chromium writes (the only kind the icon script produces). */
export function decodePngRgba(png: Buffer): RgbaImage {
  const { width, height } = pngSize(png);
  const [bitDepth, colourType, , , interlace] = png.subarray(24, 29);
  if (bitDepth !== 8 || colourType !== 6 || interlace !== 0) {
    throw new Error(
      `unsupported PNG (bit depth ${bitDepth}, colour type ${colourType}, interlace ${interlace})`,
    );
  }
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    if (png.toString('latin1', offset + 4, offset + 8) === 'IDAT') {
      idat.push(png.subarray(offset + 8, offset + 8 + length));
    }
    offset += 12 + length;
  }
  return { width, height, pixels: unfilter(inflateSync(Buffer.concat(idat)), width, height) };
}

export interface ContainedPng {
  /** The size the container announces for this entry. */
  declaredPixels: number;
  png: Buffer;
}

/** The entries of a Windows .ico whose images are PNG-compressed (a width byte of 0 means 256). */
export function icoEntries(ico: Buffer): ContainedPng[] {
  if (ico.readUInt16LE(0) !== 0 || ico.readUInt16LE(2) !== 1) throw new Error('not an ICO file');
  return Array.from({ length: ico.readUInt16LE(4) }, (_, index) => {
    const entry = 6 + index * 16;
    const size = ico.readUInt32LE(entry + 8);
    const offset = ico.readUInt32LE(entry + 12);
    return { declaredPixels: ico[entry] || 256, png: ico.subarray(offset, offset + size) };
  });
}

/** Pixel size of each PNG-carrying ICNS entry type (the @2x types hold twice their point size). */
export const ICNS_TYPE_PIXELS: Readonly<Record<string, number>> = {
  icp4: 16,
  icp5: 32,
  icp6: 64,
  ic07: 128,
  ic08: 256,
  ic09: 512,
  ic10: 1024,
  ic11: 32,
  ic12: 64,
  ic13: 256,
  ic14: 512,
};

/** The PNG entries of a macOS .icns file, checking that the declared lengths add up. */
export function icnsEntries(icns: Buffer): Array<ContainedPng & { type: string }> {
  if (icns.toString('latin1', 0, 4) !== 'icns') throw new Error('not an ICNS file');
  if (icns.readUInt32BE(4) !== icns.length) throw new Error('ICNS length field does not match the file');
  const entries: Array<ContainedPng & { type: string }> = [];
  for (let offset = 8; offset < icns.length;) {
    const type = icns.toString('latin1', offset, offset + 4);
    const length = icns.readUInt32BE(offset + 4);
    if (length < 8 || offset + length > icns.length) throw new Error(`ICNS entry ${type} overruns the file`);
    const pixels = ICNS_TYPE_PIXELS[type];
    if (pixels !== undefined) {
      entries.push({ type, declaredPixels: pixels, png: icns.subarray(offset + 8, offset + length) });
    }
    offset += length;
  }
  return entries;
}
