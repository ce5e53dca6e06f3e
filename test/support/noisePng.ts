/**
 * A PNG of random-looking pixels (fixed seed): deflate cannot shrink it, so its base64 text is long (about
 * width × height × 4 characters) while its pixel count, what a model is charged for, stays small.
 */
import { crc32, deflateSync } from 'node:zlib';

export function noisePng(width: number, height: number): string {
  const rowBytes = width * 3 + 1;
  const raw = Buffer.alloc(rowBytes * height);
  let seed = 0x9e3779b9;
  for (let i = 0; i < raw.length; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    raw[i] = i % rowBytes === 0 ? 0 : seed & 0xff;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]).toString('base64');
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}
