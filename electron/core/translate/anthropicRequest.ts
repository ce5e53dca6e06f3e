/**
 * The Anthropic Messages request as Kiro Dock accepts it. Validated with zod at the server edge; objects are
 * loose because clients (Claude Code above all) send fields newer than this schema, and rejecting them would
 * break those clients for no gain.
 */
import { z } from 'zod';

/**
 * More than any Claude model writes in one answer (64 000 for the 4.5 models): a larger max_tokens is a
 * client's mistake, which the Anthropic API answers with a 400 too.
 */
export const MAX_OUTPUT_TOKENS = 128_000;
/** The Anthropic API's own minimum for `thinking.budget_tokens`. */
export const MIN_THINKING_BUDGET = 1024;

export const maxTokensSchema = z
  .number()
  .int()
  .positive()
  .max(
    MAX_OUTPUT_TOKENS,
    `must be at most ${MAX_OUTPUT_TOKENS}, more than any Claude model writes in one answer`,
  );

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

export const anthropicRequestSchema = z
  .looseObject({
    model: z.string().min(1),
    messages: z.array(messageSchema).min(1),
    system: z
      .union([z.string(), z.array(textBlockSchema.or(z.looseObject({ type: z.string() })))])
      .optional(),
    max_tokens: maxTokensSchema.optional(),
    stream: z.boolean().optional(),
    tools: z.array(toolSchema).optional(),
    tool_choice: z.looseObject({ type: z.string(), name: z.string().optional() }).optional(),
    thinking: z
      .looseObject({
        type: z.enum(['enabled', 'disabled', 'adaptive']),
        budget_tokens: z
          .number()
          .int()
          .min(MIN_THINKING_BUDGET, `must be at least ${MIN_THINKING_BUDGET}, as the Anthropic API requires`)
          .optional(),
      })
      .optional(),
    output_config: z.looseObject({ effort: z.string().optional() }).optional(),
    metadata: z.looseObject({ user_id: z.string().optional() }).optional(),
    temperature: z.number().optional(),
    top_p: z.number().optional(),
    top_k: z.number().optional(),
    stop_sequences: z.array(z.string()).optional(),
  })
  .superRefine((request, context) => {
    const problem = toolChoiceProblem(request.tool_choice, request.tools);
    if (problem) context.addIssue({ code: 'custom', path: ['tool_choice'], message: problem });
  });

/** `tool_choice: {type: "tool", name}` must name one of `tools`, as the Anthropic API insists. */
function toolChoiceProblem(
  choice: { type: string; name?: string } | undefined,
  tools: ReadonlyArray<{ name: string }> | undefined,
): string | undefined {
  if (choice?.type !== 'tool') return undefined;
  if (choice.name === undefined) return 'type "tool" needs the name of the tool to use';
  if (tools?.some((tool) => tool.name === choice.name)) return undefined;
  const declared = tools
    ?.map((tool) => tool.name)
    .slice(0, 10)
    .join(', ');
  return `names the tool "${choice.name}", which is not in tools (${declared || 'none are declared'})`;
}

export type AnthropicRequest = z.infer<typeof anthropicRequestSchema>;
export type AnthropicMessage = z.infer<typeof messageSchema>;
export type AnthropicContentBlock = z.infer<typeof contentBlockSchema>;
export type AnthropicTool = z.infer<typeof toolSchema>;
