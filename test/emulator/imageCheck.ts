/**
 * Kiro looks at an image's bytes, not just its declared format (docs/upstream/request-rules.md rule 12): a PNG sent as
 * "jpeg" is rejected with a message naming both types.
 */

export const IMAGE_FORMATS = ['png', 'jpeg', 'gif', 'webp'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export interface ImageProblem {
  /** For the request log. */
  reason: string;
  /** The upstream's 400 message. */
  message: string;
}

const IMPROPERLY_FORMED = 'Improperly formed request.';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The format the leading bytes show, from each format's magic number. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const ascii = (start: number, end: number) => Buffer.from(bytes.subarray(start, end)).toString('latin1');
  if (bytes[0] === 0x89 && ascii(1, 8) === 'PNG\r\n\x1a\n') return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return undefined;
}

export function findImageProblem(image: unknown, where: string): ImageProblem | undefined {
  const record = image !== null && typeof image === 'object' ? (image as Record<string, unknown>) : {};
  const format = record['format'];
  if (typeof format !== 'string' || !(IMAGE_FORMATS as readonly string[]).includes(format)) {
    return {
      reason: `${where}: image format ${JSON.stringify(format)} is not png|jpeg|gif|webp`,
      message: IMPROPERLY_FORMED,
    };
  }
  const source = record['source'];
  const base64 =
    source !== null && typeof source === 'object' ? (source as Record<string, unknown>)['bytes'] : undefined;
  if (typeof base64 !== 'string' || base64.length === 0 || !BASE64.test(base64)) {
    return { reason: `${where}: image source.bytes is not base64`, message: IMPROPERLY_FORMED };
  }
  const actual = detectImageFormat(Buffer.from(base64.slice(0, 24), 'base64'));
  if (actual === format) return undefined;
  if (actual === undefined) {
    return {
      reason: `${where}: image bytes are not a png, jpeg, gif or webp image`,
      message: IMPROPERLY_FORMED,
    };
  }
  return {
    reason: `${where}: image declared ${format} but its bytes are ${actual}`,
    message: `The image was specified using the image/${format} media type, but the image appears to be a image/${actual} image`,
  };
}
