/**
 * Token estimation without a tokenizer, at native speed: no per-character JavaScript loop, no allocation.
 *
 * Claude's tokenizer is not public, so any local count is an estimate. This one is calibrated to the two cases
 * that matter for Claude Code's auto-compaction: English prose and source code average ~3.6 characters per
 * token, while CJK and other non-Latin scripts cost about one token per character. The number of non-ASCII
 * characters is read off the difference between UTF-8 bytes and UTF-16 units (a CJK character or an emoji adds
 * 2, a Latin accent or Cyrillic letter adds 1, i.e. counts as half a token — close to how those scripts
 * tokenize). When Kiro reports real numbers (contextUsageEvent, metadataEvent) those replace the estimate.
 */

const ASCII_CHARS_PER_TOKEN = 3.6;

export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  const nonAsciiWeight = (Buffer.byteLength(text, 'utf8') - text.length) / 2;
  return Math.max(1, Math.ceil((text.length - nonAsciiWeight) / ASCII_CHARS_PER_TOKEN + nonAsciiWeight));
}

/** Estimates tokens for any JSON-serialisable value (tool inputs, schemas) by its compact JSON text. */
export function estimateJsonTokens(value: unknown): number {
  return value === undefined ? 0 : estimateTokens(JSON.stringify(value));
}
