/**
 * OpenAI Chat Completions request → Anthropic Messages request, so OpenAI clients go through the same Kiro
 * translation (and the same fixes) as Anthropic ones. Pure.
 */
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicRequest,
  AnthropicTool,
} from './anthropicRequest.ts';
import type { OpenAIChatRequest, OpenAIContentPart, OpenAIMessage, OpenAIToolCall } from './openaiRequest.ts';
import { imageBlockFromUrl, thinkingForEffort } from './openaiToAnthropicParts.ts';
import { RequestError } from './requestError.ts';

export function openaiToAnthropic(request: OpenAIChatRequest): AnthropicRequest {
  const { system, messages } = convertMessages(request.messages);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  const effort = request.reasoning_effort;
  const stop = request.stop;
  return {
    model: request.model,
    messages,
    ...(system !== '' ? { system } : {}),
    ...(maxTokens != null ? { max_tokens: maxTokens } : {}),
    ...(request.stream != null ? { stream: request.stream } : {}),
    ...(request.tools !== undefined ? { tools: convertTools(request.tools) } : {}),
    ...(request.tool_choice !== undefined ? { tool_choice: convertToolChoice(request.tool_choice) } : {}),
    ...thinkingForEffort(effort),
    ...(request.user !== undefined ? { metadata: { user_id: request.user } } : {}),
    ...(request.temperature != null ? { temperature: request.temperature } : {}),
    ...(request.top_p != null ? { top_p: request.top_p } : {}),
    ...(stop != null ? { stop_sequences: typeof stop === 'string' ? [stop] : stop } : {}),
  };
}

/**
 * Leading system/developer messages become the system prompt; later ones stay where they are as Anthropic
 * `role: "system"` messages. Consecutive `tool` messages become one user message of tool results.
 */
function convertMessages(openaiMessages: readonly OpenAIMessage[]): {
  system: string;
  messages: AnthropicMessage[];
} {
  const systemTexts: string[] = [];
  const messages: AnthropicMessage[] = [];
  let toolResults: AnthropicContentBlock[] | undefined;
  for (const message of openaiMessages) {
    if (message.role === 'tool') {
      if (toolResults === undefined) {
        toolResults = [];
        messages.push({ role: 'user', content: toolResults });
      }
      if (message.tool_call_id === undefined) {
        throw new RequestError('every "tool" message needs the tool_call_id of the call it answers');
      }
      toolResults.push({
        type: 'tool_result',
        tool_use_id: message.tool_call_id,
        content: plainText(message),
      });
      continue;
    }
    toolResults = undefined;
    if (message.role === 'system' || message.role === 'developer') {
      if (messages.length === 0) systemTexts.push(plainText(message));
      else messages.push({ role: 'system', content: plainText(message) });
    } else if (message.role === 'user') messages.push({ role: 'user', content: userContent(message) });
    else messages.push({ role: 'assistant', content: assistantContent(message) });
  }
  if (messages.length === 0) {
    throw new RequestError(
      'messages must contain at least one user, assistant or tool message besides system ones',
    );
  }
  return { system: systemTexts.filter((text) => text !== '').join('\n\n'), messages };
}

function plainText(message: OpenAIMessage): string {
  if (message.content == null || typeof message.content === 'string') return message.content ?? '';
  return message.content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

function userContent(message: OpenAIMessage): string | AnthropicContentBlock[] {
  if (message.content == null) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.map(userPart);
}

function userPart(part: OpenAIContentPart): AnthropicContentBlock {
  if (part.type === 'text' && typeof part.text === 'string') return { type: 'text', text: part.text };
  if (part.type === 'image_url') {
    const imageUrl = part.image_url;
    const url = typeof imageUrl === 'string' ? imageUrl : (imageUrl as { url?: unknown } | undefined)?.url;
    if (typeof url === 'string') return imageBlockFromUrl(url);
  }
  throw new RequestError(
    `content part type "${part.type}" is not supported; send "text" or "image_url" parts`,
  );
}

function assistantContent(message: OpenAIMessage): string | AnthropicContentBlock[] {
  const text = plainText(message);
  if (message.tool_calls === undefined || message.tool_calls.length === 0) return text;
  const blocks: AnthropicContentBlock[] = text === '' ? [] : [{ type: 'text', text }];
  for (const call of message.tool_calls) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseArguments(call) });
  }
  return blocks;
}

function parseArguments(call: OpenAIToolCall): unknown {
  const text = call.function.arguments ?? '';
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RequestError(
      `tool call "${call.id}" has arguments that are not valid JSON; send a JSON object string`,
    );
  }
}

function convertTools(tools: NonNullable<OpenAIChatRequest['tools']>): AnthropicTool[] {
  const converted: AnthropicTool[] = [];
  for (const tool of tools) {
    if (tool.type !== 'function' || tool.function === undefined) continue;
    converted.push({
      name: tool.function.name,
      ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
      input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
    });
  }
  return converted;
}

function convertToolChoice(
  choice: NonNullable<OpenAIChatRequest['tool_choice']>,
): AnthropicRequest['tool_choice'] {
  if (choice === 'auto' || choice === 'none') return { type: choice };
  if (choice === 'required') return { type: 'any' };
  const name = choice.function?.name;
  return name !== undefined ? { type: 'tool', name } : { type: 'auto' };
}
