/**
 * How the emulated model counts an image in its context: by pixels, as Claude does (width × height / 750,
 * after downscaling to a 1 568 px long edge and about 1 600 tokens), not by the size of its base64 text.
 * Written apart from Kiro Dock's own count so that the two can disagree.
 */
import { imageSize } from 'image-size';

const TOKENS_FOR_UNREADABLE = 1_600;

export function imagePixelTokens(base64: string): number {
  let size: { width: number; height: number };
  try {
    size = imageSize(Buffer.from(base64, 'base64'));
  } catch {
    return TOKENS_FOR_UNREADABLE;
  }
  const pixels = size.width * size.height;
  const scale = Math.min(1, 1_568 / Math.max(size.width, size.height), Math.sqrt((1_600 * 750) / pixels));
  return Math.min(1_600, Math.ceil((size.width * scale * (size.height * scale)) / 750));
}

/** Every image's base64 text in a Kiro request body (current message and history). */
export function imagesOf(body: unknown): string[] {
  const state = (body as { conversationState?: Record<string, unknown> } | undefined)?.conversationState;
  const messages = [
    (state?.['currentMessage'] as { userInputMessage?: unknown } | undefined)?.userInputMessage,
    ...((state?.['history'] as Array<{ userInputMessage?: unknown }> | undefined) ?? []).map(
      (entry) => entry.userInputMessage,
    ),
  ];
  return messages.flatMap((message) => {
    const images =
      (message as { images?: Array<{ source?: { bytes?: unknown } }> } | undefined)?.images ?? [];
    return images.flatMap((image) => (typeof image.source?.bytes === 'string' ? [image.source.bytes] : []));
  });
}
