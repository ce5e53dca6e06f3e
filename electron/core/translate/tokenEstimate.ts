/**
 * Token estimation without a tokenizer: one pass over UTF-16 code units, no allocation.
 *
 * Claude's tokenizer is not public, so any local count is an estimate. This one is calibrated to the two cases
 * that matter for Claude Code's auto-compaction: English prose and source code average ~3.6 characters per
 * token, while CJK and other non-Latin scripts cost about one token per character. When Kiro reports real
 * numbers (contextUsageEvent, metadataEvent) those replace the estimate.
 */

const ASCII_CHARS_PER_TOKEN = 3.6;
const NON_ASCII_TOKENS_PER_CHAR = 1;

export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let ascii = 0;
  let nonAscii = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) ascii++;
    // A surrogate pair is one character: count its high half only.
    else if (code < 0xdc00 || code > 0xdfff) nonAscii++;
  }
  return Math.max(1, Math.ceil(ascii / ASCII_CHARS_PER_TOKEN + nonAscii * NON_ASCII_TOKENS_PER_CHAR));
}

/** Estimates tokens for any JSON-serialisable value (tool inputs, schemas) by its compact JSON text. */
export function estimateJsonTokens(value: unknown): number {
  return value === undefined ? 0 : estimateTokens(JSON.stringify(value));
}
