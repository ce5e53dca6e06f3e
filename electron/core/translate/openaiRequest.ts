/**
 * The OpenAI Chat Completions request as Kiro Dock accepts it. Objects are loose for the same reason as the
 * Anthropic schema: SDKs add fields faster than any schema here, and unknown fields are harmless.
 */
import { z } from 'zod';
import { maxTokensSchema } from './anthropicRequest.ts';

const textPartSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

const imagePartSchema = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.union([z.string(), z.looseObject({ url: z.string(), detail: z.string().optional() })]),
});

export const openaiContentPartSchema = z.union([
  textPartSchema,
  imagePartSchema,
  z.looseObject({ type: z.string() }),
]);

const contentSchema = z
  .union([z.string(), z.array(openaiContentPartSchema)])
  .nullable()
  .optional();

export const openaiToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string().optional() }),
});

export const openaiMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: contentSchema,
  name: z.string().optional(),
  tool_calls: z.array(openaiToolCallSchema).optional(),
  tool_call_id: z.string().optional(),
});

export const openaiToolSchema = z.looseObject({
  type: z.string(),
  function: z
    .looseObject({
      name: z.string().min(1),
      description: z.string().optional(),
      parameters: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

export const openaiToolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string() }).optional() }),
]);

export const openaiChatRequestSchema = z
  .looseObject({
    model: z.string().min(1),
    messages: z.array(openaiMessageSchema).min(1),
    tools: z.array(openaiToolSchema).optional(),
    tool_choice: openaiToolChoiceSchema.optional(),
    max_tokens: maxTokensSchema.nullable().optional(),
    max_completion_tokens: maxTokensSchema.nullable().optional(),
    reasoning_effort: z.string().nullable().optional(),
    user: z.string().optional(),
    stream: z.boolean().nullable().optional(),
    stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
    temperature: z.number().nullable().optional(),
    top_p: z.number().nullable().optional(),
    stop: z
      .union([z.string(), z.array(z.string())])
      .nullable()
      .optional(),
  })
  .superRefine((request, context) => {
    const problem = toolChoiceProblem(request.tool_choice, request.tools);
    if (problem) context.addIssue({ code: 'custom', path: ['tool_choice'], message: problem });
  });

/** A named function must be one of `tools`, as the OpenAI API insists. */
function toolChoiceProblem(
  choice: z.infer<typeof openaiToolChoiceSchema> | undefined,
  tools: ReadonlyArray<z.infer<typeof openaiToolSchema>> | undefined,
): string | undefined {
  if (choice === undefined || typeof choice === 'string') return undefined;
  const name = choice.function?.name;
  if (name === undefined) return undefined;
  const declared = (tools ?? []).flatMap((tool) => (tool.function ? [tool.function.name] : []));
  if (declared.includes(name)) return undefined;
  return `names the function "${name}", which is not in tools (${declared.slice(0, 10).join(', ') || 'none are declared'})`;
}

export type OpenAIChatRequest = z.infer<typeof openaiChatRequestSchema>;
export type OpenAIMessage = z.infer<typeof openaiMessageSchema>;
export type OpenAIContentPart = z.infer<typeof openaiContentPartSchema>;
export type OpenAIToolCall = z.infer<typeof openaiToolCallSchema>;
