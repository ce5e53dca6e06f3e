/**
 * Kiro requires `toolUses[].input` to be a JSON object and rejects empty-string keys anywhere inside it
 * (docs/upstream/request-rules.md rule 10).
 */
import { isJsonObject } from '../json/parseJsonObject.ts';

export function toKiroToolInput(input: unknown): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (isJsonObject(input)) return withoutEmptyKeys(input) as Record<string, unknown>;
  return { value: withoutEmptyKeys(input) };
}

function withoutEmptyKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyKeys);
  if (!isJsonObject(value)) return value;
  const cleaned: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key !== '') cleaned[key] = withoutEmptyKeys(item);
  }
  return cleaned;
}
