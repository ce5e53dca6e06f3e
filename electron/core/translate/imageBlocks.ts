/**
 * Anthropic image sources → Kiro images. Kiro rejects an image whose bytes disagree with the declared media
 * type (kirodotdev/Kiro#11237), and clients mislabel images often, so the format is read from the bytes' magic
 * numbers and the declared type is only used in error messages.
 */
import type { KiroImage, KiroImageFormat } from '../kiro/kiroRequest.ts';
import { RequestError } from './requestError.ts';

export type ImageSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }
  | { type: string; [key: string]: unknown };

/** 16 base64 characters decode to the 12 bytes the longest signature (WebP) needs. */
const SIGNATURE_BASE64_CHARS = 16;
const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),/i;

export function toKiroImage(source: ImageSource): KiroImage {
  const { data, declaredType } = base64Payload(source);
  const format = detectImageFormat(data);
  if (format === undefined) {
    throw new RequestError(
      `image data is not PNG, JPEG, GIF or WebP (declared "${declaredType}"); Kiro accepts only these ` +
        'four formats, so convert the image first',
    );
  }
  return { format, source: { bytes: data } };
}

/** The image format the bytes really are, or undefined when they are none of the four Kiro accepts. */
export function detectImageFormat(base64: string): KiroImageFormat | undefined {
  const head = Buffer.from(base64.slice(0, SIGNATURE_BASE64_CHARS), 'base64');
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  const ascii = head.toString('latin1');
  if (ascii.startsWith('GIF87a') || ascii.startsWith('GIF89a')) return 'gif';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'webp';
  return undefined;
}

function base64Payload(source: ImageSource): { data: string; declaredType: string } {
  if (source.type === 'base64' && typeof source.data === 'string') {
    const declaredType = typeof source.media_type === 'string' ? source.media_type : 'unknown';
    return source.data.startsWith('data:')
      ? fromDataUrl(source.data)
      : { data: normalizeBase64(source.data), declaredType };
  }
  if (source.type === 'url' && typeof source.url === 'string') {
    if (source.url.startsWith('data:')) return fromDataUrl(source.url);
    throw new RequestError(
      `image URLs are not supported by Kiro (got "${source.url.slice(0, 120)}"); send the image as base64 data ` +
        '(source type "base64") instead',
    );
  }
  throw new RequestError(
    `image source type "${source.type}" is not supported; send the image as base64 data`,
  );
}

function fromDataUrl(url: string): { data: string; declaredType: string } {
  const match = DATA_URL.exec(url);
  if (!match || !/;base64$/i.test(match[2] ?? '')) {
    throw new RequestError('image data URLs must be base64-encoded ("data:image/png;base64,…")');
  }
  return { data: normalizeBase64(url.slice(match[0].length)), declaredType: match[1] || 'unknown' };
}

/** Kiro takes standard base64 only: line breaks and the URL-safe alphabet are normalised away. */
function normalizeBase64(base64: string): string {
  const compact = /\s/.test(base64) ? base64.replace(/\s+/g, '') : base64;
  return /[-_]/.test(compact) ? compact.replace(/-/g, '+').replace(/_/g, '/') : compact;
}

function startsWith(bytes: Buffer, signature: number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}
