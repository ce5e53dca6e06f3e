/**
 * Tool input schemas as Kiro accepts them (kiro-protocol.md §2.2 rule 9): the root is an object schema with a
 * `properties` object, and the keywords the upstream has rejected (`$schema`, `$id`, empty `required`) are
 * gone. Everything else is kept. The walk knows which keywords hold sub-schemas, so a property that happens
 * to be called `$id` is left alone. Returns a deep copy; the input is never mutated.
 */

type JsonObject = Record<string, unknown>;

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

export function cleanJsonSchema(schema: JsonObject | undefined): JsonObject {
  const cleaned: JsonObject = { type: 'object', ...(schema === undefined ? {} : cleanSchemaObject(schema)) };
  cleaned.type = 'object';
  if (!isJsonObject(cleaned.properties)) cleaned.properties = {};
  return cleaned;
}

function cleanSchema(schema: unknown): unknown {
  return isJsonObject(schema) ? cleanSchemaObject(schema) : deepCopy(schema);
}

function cleanSchemaObject(schema: JsonObject): JsonObject {
  const cleaned: JsonObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (REMOVED_KEYWORDS.has(keyword)) continue;
    if (keyword === 'required' && Array.isArray(value) && value.length === 0) continue;
    cleaned[keyword] = cleanKeywordValue(keyword, value);
  }
  return cleaned;
}

function cleanKeywordValue(keyword: string, value: unknown): unknown {
  if (SCHEMA_KEYWORDS.has(keyword)) return Array.isArray(value) ? value.map(cleanSchema) : cleanSchema(value);
  if (SCHEMA_LIST_KEYWORDS.has(keyword) && Array.isArray(value)) return value.map(cleanSchema);
  if (SCHEMA_MAP_KEYWORDS.has(keyword) && isJsonObject(value)) {
    const map: JsonObject = {};
    for (const [name, subschema] of Object.entries(value)) map[name] = cleanSchema(subschema);
    return map;
  }
  return deepCopy(value);
}

function deepCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepCopy);
  if (!isJsonObject(value)) return value;
  const copy: JsonObject = {};
  for (const [key, item] of Object.entries(value)) copy[key] = deepCopy(item);
  return copy;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
