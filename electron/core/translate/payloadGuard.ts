/**
 * Kiro answers a body over ~615 KB with a bare "Improperly formed request" (measured with 200k-token models;
 * docs/context-windows.md): the byte limit is sized by the chosen model's input limit, as is the token check.
 * Old screenshots are the usual cause, so images in history go first; if the text alone is too long the
 * client gets a "prompt is too long" error it understands (Claude Code offers to compact on it).
 */
import type { KiroConversationRequest, KiroHistoryEntry } from '../kiro/kiroRequest.ts';
import { RequestError } from './requestError.ts';

export const DEFAULT_MAX_PAYLOAD_BYTES = 600_000;
/** The input limit of the models the byte limit above was measured with. */
const MEASURED_WITH_INPUT_TOKENS = 200_000;

/** The body limit for a model taking `maxInputTokens`: 600 000 bytes per 200 000 tokens, never less than that. */
export function payloadLimitFor(maxInputTokens: number): number {
  const scale = Math.max(1, maxInputTokens / MEASURED_WITH_INPUT_TOKENS);
  return Math.round(DEFAULT_MAX_PAYLOAD_BYTES * scale);
}

/** More input than the model takes fails here, naming the limit, rather than as Kiro's bare 400. */
export function checkInputTokens(inputTokens: number, modelId: string, maxInputTokens: number): void {
  if (inputTokens <= maxInputTokens) return;
  throw new RequestError(
    `prompt is too long: about ${inputTokens.toLocaleString('en-US')} tokens, over the ` +
      `${maxInputTokens.toLocaleString('en-US')}-token input limit of Kiro's ${modelId}. ` +
      'Start a new conversation or compact it (/compact in Claude Code).',
  );
}
export const OMITTED_IMAGE_TEXT = '[image omitted]';

/** Returns the body unchanged when it fits, else a copy with history images replaced by a text note. */
export function fitPayload(body: KiroConversationRequest, maxBytes: number): KiroConversationRequest {
  const json = JSON.stringify(body);
  if (fitsIn(json, maxBytes)) return body;
  const history = body.conversationState.history;
  if (history === undefined) throw promptTooLong(Buffer.byteLength(json), maxBytes);
  let fitted = withHistory(body, dropImagesUntilFits(history, Buffer.byteLength(json) - maxBytes));
  let fittedJson = JSON.stringify(fitted);
  if (!fitsIn(fittedJson, maxBytes)) {
    // The per-entry savings were estimates; make sure no history image is left before giving up.
    fitted = withHistory(body, dropImagesUntilFits(history, Number.POSITIVE_INFINITY));
    fittedJson = JSON.stringify(fitted);
  }
  if (!fitsIn(fittedJson, maxBytes)) throw promptTooLong(Buffer.byteLength(fittedJson), maxBytes);
  return fitted;
}

/** Counting UTF-8 bytes is skipped when the UTF-16 length decides: every code unit takes 1 to 3 bytes. */
function fitsIn(json: string, maxBytes: number): boolean {
  if (json.length > maxBytes) return false;
  return json.length * 3 <= maxBytes || Buffer.byteLength(json, 'utf8') <= maxBytes;
}

/** Oldest turns first, so the images the model saw most recently survive longest. */
function dropImagesUntilFits(history: readonly KiroHistoryEntry[], excessBytes: number): KiroHistoryEntry[] {
  let remaining = excessBytes;
  return history.map((entry) => {
    if (remaining <= 0 || !('userInputMessage' in entry)) return entry;
    const { images, ...message } = entry.userInputMessage;
    if (images === undefined || images.length === 0) return entry;
    const note = images.map(() => OMITTED_IMAGE_TEXT).join('\n');
    remaining -= JSON.stringify(images).length - note.length;
    return { userInputMessage: { ...message, content: `${message.content}\n\n${note}` } };
  });
}

function withHistory(body: KiroConversationRequest, history: KiroHistoryEntry[]): KiroConversationRequest {
  return { ...body, conversationState: { ...body.conversationState, history } };
}

function promptTooLong(size: number, maxBytes: number): RequestError {
  return new RequestError(
    `prompt is too long: the Kiro request is ${size} bytes, over the upstream limit of ${maxBytes} bytes. ` +
      'Start a new conversation or compact it (/compact in Claude Code).',
  );
}
