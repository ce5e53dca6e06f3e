/**
 * The OpenAI Responses request (`POST /v1/responses`) as Kiro Dock accepts it. Loose objects, as for the other
 * dialects: the Codex CLI and the SDKs send fields newer than this schema, and refusing them helps nobody.
 * Input items Kiro Dock cannot represent are refused later, by the translator, with a message naming them.
 */
import { z } from 'zod';
import { maxTokensSchema } from './anthropicRequest.ts';

const textPartSchema = z.looseObject({
  type: z.enum(['input_text', 'output_text', 'text']),
  text: z.string(),
});
const imagePartSchema = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().nullable().optional(),
  file_id: z.string().nullable().optional(),
  detail: z.string().optional(),
});
export const responsesContentPartSchema = z.union([
  textPartSchema,
  imagePartSchema,
  z.looseObject({ type: z.string() }),
]);

export const responsesMessageItemSchema = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(responsesContentPartSchema)]),
});

export const responsesFunctionCallItemSchema = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().optional(),
  arguments: z.string(),
});

export const responsesFunctionOutputItemSchema = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(responsesContentPartSchema)]),
});

export const responsesReasoningItemSchema = z.looseObject({
  type: z.literal('reasoning'),
  summary: z.array(z.looseObject({ type: z.string(), text: z.string() })).optional(),
  content: z
    .array(z.looseObject({ type: z.string(), text: z.string().optional() }))
    .nullable()
    .optional(),
  encrypted_content: z.string().nullable().optional(),
});

export const responsesInputItemSchema = z.union([
  responsesMessageItemSchema,
  responsesFunctionCallItemSchema,
  responsesFunctionOutputItemSchema,
  responsesReasoningItemSchema,
  z.looseObject({ type: z.string() }),
]);

const functionToolSchema = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
});

export const responsesToolSchema = z.union([
  functionToolSchema,
  z.looseObject({
    type: z.literal('namespace'),
    name: z.string().min(1),
    description: z.string().optional(),
    tools: z.array(z.union([functionToolSchema, z.looseObject({ type: z.string() })])),
  }),
  // Built-in tools (web_search, file_search, …) are accepted here and dropped by the translator.
  z.looseObject({ type: z.string() }),
]);

export const responsesToolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.string(), name: z.string().optional() }),
]);

export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  instructions: z.string().nullable().optional(),
  input: z.union([z.string(), z.array(responsesInputItemSchema)]),
  tools: z.array(responsesToolSchema).optional(),
  tool_choice: responsesToolChoiceSchema.optional(),
  max_output_tokens: maxTokensSchema.nullable().optional(),
  stream: z.boolean().nullable().optional(),
  store: z.boolean().nullable().optional(),
  previous_response_id: z.string().min(1).nullable().optional(),
  reasoning: z
    .looseObject({ effort: z.string().nullable().optional(), summary: z.string().nullable().optional() })
    .nullable()
    .optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  temperature: z.number().nullable().optional(),
  top_p: z.number().nullable().optional(),
  user: z.string().optional(),
  prompt_cache_key: z.string().optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  include: z.array(z.string()).nullable().optional(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
export type ResponsesInputItem = z.infer<typeof responsesInputItemSchema>;
export type ResponsesContentPart = z.infer<typeof responsesContentPartSchema>;
export type ResponsesTool = z.infer<typeof responsesToolSchema>;
