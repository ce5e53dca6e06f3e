/**
 * Tool input schemas as Kiro accepts them (docs/upstream/request-rules.md rule 9): the root is an object schema with a
 * `properties` object, and the keywords the upstream has rejected (`$schema`, `$id`, empty `required`) are
 * gone. Everything else is kept. The walk knows which keywords hold sub-schemas, so a property that happens
 * to be called `$id` is left alone. Returns a deep copy; the input is never mutated.
 *
 * The walk recurses, so the depth it takes is bounded: a schema nested deeper than MAX_SCHEMA_DEPTH is the
 * client's 400, never a stack overflow.
 */
import { RequestError } from './requestError.ts';

type JsonObject = Record<string, unknown>;

/** JSON levels, counting every object and array; real tool schemas stay far below it. */
export const MAX_SCHEMA_DEPTH = 64;

const REMOVED_KEYWORDS = new Set(['$schema', '$id']);
/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
]);
/** Keywords whose value is an array of schemas. */
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_KEYWORDS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
]);

/** `toolName` names the tool in the error for a schema nested too deeply. */
export function cleanJsonSchema(schema: JsonObject | undefined, toolName = 'a tool'): JsonObject {
  const cleaned: JsonObject = {
    type: 'object',
    ...(schema === undefined ? {} : cleanSchemaObject(schema, 1, toolName)),
  };
  cleaned.type = 'object';
  if (!isJsonObject(cleaned.properties)) cleaned.properties = {};
  return cleaned;
}

function cleanSchema(schema: unknown, depth: number, toolName: string): unknown {
  return isJsonObject(schema)
    ? cleanSchemaObject(schema, depth, toolName)
    : deepCopy(schema, depth, toolName);
}

function cleanSchemaObject(schema: JsonObject, depth: number, toolName: string): JsonObject {
  checkDepth(depth, toolName);
  const cleaned: JsonObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (REMOVED_KEYWORDS.has(keyword)) continue;
    if (keyword === 'required' && Array.isArray(value) && value.length === 0) continue;
    cleaned[keyword] = cleanKeywordValue(keyword, value, depth + 1, toolName);
  }
  return cleaned;
}

/** `depth` is the level of `value` itself. */
function cleanKeywordValue(keyword: string, value: unknown, depth: number, toolName: string): unknown {
  const cleanEach = (list: unknown[]) => {
    checkDepth(depth, toolName);
    return list.map((item) => cleanSchema(item, depth + 1, toolName));
  };
  if (SCHEMA_KEYWORDS.has(keyword))
    return Array.isArray(value) ? cleanEach(value) : cleanSchema(value, depth, toolName);
  if (SCHEMA_LIST_KEYWORDS.has(keyword) && Array.isArray(value)) return cleanEach(value);
  if (SCHEMA_MAP_KEYWORDS.has(keyword) && isJsonObject(value)) {
    checkDepth(depth, toolName);
    const map: JsonObject = {};
    for (const [name, subschema] of Object.entries(value))
      map[name] = cleanSchema(subschema, depth + 1, toolName);
    return map;
  }
  return deepCopy(value, depth, toolName);
}

function deepCopy(value: unknown, depth: number, toolName: string): unknown {
  if (Array.isArray(value)) {
    checkDepth(depth, toolName);
    return value.map((item) => deepCopy(item, depth + 1, toolName));
  }
  if (!isJsonObject(value)) return value;
  checkDepth(depth, toolName);
  const copy: JsonObject = {};
  for (const [key, item] of Object.entries(value)) copy[key] = deepCopy(item, depth + 1, toolName);
  return copy;
}

function checkDepth(depth: number, toolName: string): void {
  if (depth <= MAX_SCHEMA_DEPTH) return;
  throw new RequestError(
    `The input schema of ${toolName} nests more than ${MAX_SCHEMA_DEPTH} levels deep; ` +
      'flatten it (shared parts can go into $defs and be referenced with $ref).',
  );
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
