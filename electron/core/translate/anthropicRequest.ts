/**
 * The Anthropic Messages request as Kiro Dock accepts it. Validated with zod at the server edge; objects are
 * loose because clients (Claude Code above all) send fields newer than this schema, and rejecting them would
 * break those clients for no gain.
 */
import { z } from 'zod';

const cacheControl = z.looseObject({ type: z.string() }).optional();

export const textBlockSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl,
});

export const imageBlockSchema = z.looseObject({
  type: z.literal('image'),
  source: z.union([
    z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.looseObject({ type: z.literal('url'), url: z.string() }),
  ]),
  cache_control: cacheControl,
});

export const toolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  cache_control: cacheControl,
});

export const toolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z
    .union([
      z.string(),
      z.array(z.union([textBlockSchema, imageBlockSchema, z.looseObject({ type: z.string() })])),
    ])
    .optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});

export const thinkingBlockSchema = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().optional(),
});

export const redactedThinkingBlockSchema = z.looseObject({
  type: z.literal('redacted_thinking'),
  data: z.string(),
});

/** Blocks Kiro Dock understands; anything else is kept as an `other` block and rendered as text or dropped. */
export const contentBlockSchema = z.union([
  textBlockSchema,
  imageBlockSchema,
  toolUseBlockSchema,
  toolResultBlockSchema,
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
  z.looseObject({ type: z.string() }),
]);

export const messageSchema = z.looseObject({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});

export const toolSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  type: z.string().optional(),
});

export const anthropicRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  system: z.union([z.string(), z.array(textBlockSchema.or(z.looseObject({ type: z.string() })))]).optional(),
  max_tokens: z.number().int().positive().optional(),
  stream: z.boolean().optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: z.looseObject({ type: z.string(), name: z.string().optional() }).optional(),
  thinking: z
    .looseObject({
      type: z.enum(['enabled', 'disabled', 'adaptive']),
      budget_tokens: z.number().int().optional(),
    })
    .optional(),
  output_config: z.looseObject({ effort: z.string().optional() }).optional(),
  metadata: z.looseObject({ user_id: z.string().optional() }).optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  top_k: z.number().optional(),
  stop_sequences: z.array(z.string()).optional(),
});

export type AnthropicRequest = z.infer<typeof anthropicRequestSchema>;
export type AnthropicMessage = z.infer<typeof messageSchema>;
export type AnthropicContentBlock = z.infer<typeof contentBlockSchema>;
export type AnthropicTool = z.infer<typeof toolSchema>;
