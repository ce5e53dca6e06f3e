/**
 * What an image costs in input tokens, the way Anthropic counts it (docs/usage-figures.md): by its size in
 * pixels, width × height / 750, after the downscaling Anthropic applies to images whose long edge is over
 * 1 568 px or whose cost would be over about 1 600 tokens. Never by the length of its base64 text, which says
 * more about the compression than about what the model sees.
 */
import { createRequire } from 'node:module';
import type * as ImageSize from 'image-size';

/**
 * image-size (some 25 modules, about 5 MiB) is needed by the first request that carries an image, not by the
 * start; its CommonJS build can be loaded then without making the count asynchronous.
 */
let imageSize: typeof ImageSize.imageSize | undefined;
const loadImageSize = () =>
  (imageSize ??= (createRequire(import.meta.url)('image-size') as typeof ImageSize).imageSize);

const PIXELS_PER_TOKEN = 750;
const MAX_LONG_EDGE_PX = 1_568;
/** The most one image costs after downscaling; also what an image whose size cannot be read is counted as. */
export const MAX_IMAGE_TOKENS = 1_600;
/**
 * Where the dimensions are: the first bytes for PNG, GIF and WebP; for JPEG the frame header, after any EXIF
 * block (at most 64 KiB each). Decoding only this much keeps a history full of screenshots cheap to count.
 */
const HEADER_BASE64_CHARS = 4 * Math.ceil((256 * 1024) / 3);

export function imageTokensForSize(width: number, height: number): number {
  if (!(width > 0 && height > 0)) return MAX_IMAGE_TOKENS;
  const scale = Math.min(
    1,
    MAX_LONG_EDGE_PX / Math.max(width, height),
    Math.sqrt((MAX_IMAGE_TOKENS * PIXELS_PER_TOKEN) / (width * height)),
  );
  const scaledPixels = Math.round(width * scale) * Math.round(height * scale);
  return Math.min(MAX_IMAGE_TOKENS, Math.max(1, Math.ceil(scaledPixels / PIXELS_PER_TOKEN)));
}

/** Tokens for base64 image data (standard or URL-safe alphabet, data URL prefix allowed). */
export function imageTokensForBase64(base64: string): number {
  const payload = base64.startsWith('data:') ? base64.slice(base64.indexOf(',') + 1) : base64;
  // Outside the try: a package that cannot be loaded is a broken install, not an unreadable image.
  const imageSizeOf = loadImageSize();
  try {
    const { width, height } = imageSizeOf(Buffer.from(payload.slice(0, HEADER_BASE64_CHARS), 'base64'));
    return imageTokensForSize(width, height);
  } catch {
    return MAX_IMAGE_TOKENS;
  }
}
