import { describe, expect, it } from 'vitest';
import { cleanJsonSchema, MAX_SCHEMA_DEPTH } from '../../electron/core/translate/jsonSchemaCleanup.ts';
import { RequestError } from '../../electron/core/translate/requestError.ts';
import { thrownBy } from './thrownBy.ts';

describe('cleanJsonSchema', () => {
  it('makes the root an object schema with a properties object', () => {
    expect(cleanJsonSchema(undefined)).toEqual({ type: 'object', properties: {} });
    expect(cleanJsonSchema({ required: ['a'] })).toEqual({ type: 'object', properties: {}, required: ['a'] });
    expect(cleanJsonSchema({ type: 'object', properties: 'nonsense' })).toEqual({
      type: 'object',
      properties: {},
    });
  });

  it('removes $schema, $id and empty required at every schema level, keeping everything else', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'root',
      type: 'object',
      properties: {
        opts: {
          type: 'object',
          $id: 'opts',
          required: [],
          additionalProperties: false,
          properties: { n: { type: 'integer', minimum: 1 } },
        },
        tags: { type: 'array', items: { $schema: 'x', type: 'string', enum: ['a', 'b'] } },
        either: { oneOf: [{ $id: 'a', type: 'string' }, { type: 'null' }] },
      },
      $defs: { thing: { $id: 'thing', type: 'string', required: [] } },
      required: ['opts'],
      additionalProperties: false,
      'x-custom': { $id: 'kept because it is not a schema keyword position' },
    };
    expect(cleanJsonSchema(schema)).toEqual({
      type: 'object',
      properties: {
        opts: {
          type: 'object',
          additionalProperties: false,
          properties: { n: { type: 'integer', minimum: 1 } },
        },
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
        either: { oneOf: [{ type: 'string' }, { type: 'null' }] },
      },
      $defs: { thing: { type: 'string' } },
      required: ['opts'],
      additionalProperties: false,
      'x-custom': { $id: 'kept because it is not a schema keyword position' },
    });
  });

  it('keeps properties that are merely named like removed keywords', () => {
    const schema = {
      type: 'object',
      properties: {
        $id: { type: 'string' },
        $schema: { type: 'string' },
        required: { type: 'array', items: {} },
      },
    };
    expect(cleanJsonSchema(schema).properties).toEqual(schema.properties);
  });

  it('returns a deep copy and never mutates its input', () => {
    const schema = {
      $schema: 'x',
      type: 'object',
      properties: { a: { type: 'array', items: { enum: [1, 2] } } },
      required: [],
    };
    const before = structuredClone(schema);
    const cleaned = cleanJsonSchema(schema);
    expect(schema).toEqual(before);
    (cleaned.properties as { a: { items: { enum: number[] } } }).a.items.enum.push(3);
    expect(schema.properties.a.items.enum).toEqual([1, 2]);
  });

  it('refuses a schema nested beyond its limit with a 400 naming the tool, never a stack overflow', () => {
    const nested = (levels: number): Record<string, unknown> =>
      JSON.parse(`${'{"type":"object","properties":{"a":'.repeat(levels)}{}${'}}'.repeat(levels)}`);
    // Each level is two JSON levels: the schema and its properties map.
    expect(() => cleanJsonSchema(nested(MAX_SCHEMA_DEPTH / 2 - 1))).not.toThrow();
    for (const levels of [MAX_SCHEMA_DEPTH / 2 + 1, 2_000, 100_000]) {
      const error = thrownBy(() => cleanJsonSchema(nested(levels), 'tool "deep"'), RequestError);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/input schema of tool "deep" nests more than 64 levels/);
    }
    const deepDefault = { type: 'object', default: JSON.parse(`${'['.repeat(5_000)}${']'.repeat(5_000)}`) };
    expect(() => cleanJsonSchema(deepDefault)).toThrow(RequestError);
  });
});
