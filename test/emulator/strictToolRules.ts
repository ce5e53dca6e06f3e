/**
 * The tool-related shapes Kiro rejects with "Improperly formed request." (docs/upstream/request-rules.md rules 5–10).
 * Each check returns a reason for the request log, or undefined when the shape is fine.
 */

export const MAX_TOOL_NAME_LENGTH = 64;
export const MAX_TOOL_DESCRIPTION_LENGTH = 10_000;
const TOOL_NAME = /^[a-zA-Z0-9_-]+$/;
const TOOL_RESULT_STATUSES = ['success', 'error'];

type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Checks the `tools` list of the current message; returns the declared names (lower-cased) when it is fine. */
export function checkToolSpecifications(
  tools: unknown,
  where: string,
): { problem?: string; names: Set<string> } {
  const names = new Set<string>();
  if (tools === undefined) return { names };
  if (!Array.isArray(tools)) return { problem: `${where} is not a list`, names };
  for (const [index, tool] of tools.entries()) {
    const spec = isJsonObject(tool) ? tool['toolSpecification'] : undefined;
    const problem = checkToolSpecification(spec, `${where}[${index}].toolSpecification`);
    if (problem) return { problem, names };
    names.add(String((spec as JsonObject)['name']).toLowerCase());
  }
  return { names };
}

function checkToolSpecification(spec: unknown, where: string): string | undefined {
  if (!isJsonObject(spec)) return `${where} missing`;
  const { name, description, inputSchema } = spec;
  if (typeof name !== 'string' || !TOOL_NAME.test(name))
    return `${where}.name ${JSON.stringify(name)} is not [a-zA-Z0-9_-]+`;
  if (name.length > MAX_TOOL_NAME_LENGTH)
    return `${where}.name is ${name.length} characters (max ${MAX_TOOL_NAME_LENGTH})`;
  if (typeof description !== 'string' || description.trim().length === 0)
    return `${where}.description is empty`;
  if (description.length > MAX_TOOL_DESCRIPTION_LENGTH) {
    return `${where}.description is ${description.length} characters (max ${MAX_TOOL_DESCRIPTION_LENGTH})`;
  }
  if (!isJsonObject(inputSchema) || !isJsonObject(inputSchema['json']))
    return `${where}.inputSchema.json is not an object`;
  return undefined;
}

/** One `toolUses` entry of an assistant turn in history. */
export function checkToolUse(toolUse: unknown, where: string): string | undefined {
  if (!isJsonObject(toolUse)) return `${where} is not an object`;
  const { toolUseId, name, input } = toolUse;
  if (typeof toolUseId !== 'string' || toolUseId.length === 0) return `${where}.toolUseId missing`;
  if (typeof name !== 'string' || name.length === 0) return `${where}.name missing`;
  if (!isJsonObject(input)) return `${where}.input is not an object`;
  if (Object.hasOwn(input, '')) return `${where}.input has an empty-string key`;
  return undefined;
}

/** One `toolResults` entry of a user turn. */
export function checkToolResult(toolResult: unknown, where: string): string | undefined {
  if (!isJsonObject(toolResult)) return `${where} is not an object`;
  const { toolUseId, content, status } = toolResult;
  if (typeof toolUseId !== 'string' || toolUseId.length === 0) return `${where}.toolUseId missing`;
  if (!Array.isArray(content)) return `${where}.content is not a list`;
  const badBlock = content.findIndex(
    (block) => !isJsonObject(block) || !('text' in block || 'json' in block),
  );
  if (badBlock !== -1) return `${where}.content[${badBlock}] is neither {text} nor {json}`;
  if (status !== undefined && !TOOL_RESULT_STATUSES.includes(status as string)) {
    return `${where}.status ${JSON.stringify(status)} is not success|error`;
  }
  return undefined;
}
