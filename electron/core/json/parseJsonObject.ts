/** A JSON object from text that may be anything (a half-written file, an HTML error page); undefined otherwise. */
export function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    return asJsonObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export function asJsonObject(value: unknown): Record<string, unknown> | undefined {
  return isJsonObject(value) ? value : undefined;
}

/** An object with keys, as JSON has them: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
