/**
 * OpenAI Responses request → Anthropic Messages request, so Responses clients (the Codex CLI) go through the same
 * Kiro translation and fixes as everyone else. Pure. `history` is the conversation a `previous_response_id`
 * stands for (its input and output items), put before this request's input as the Responses API does.
 */
import type { AnthropicContentBlock, AnthropicMessage, AnthropicRequest } from './anthropicRequest.ts';
import { imageBlockFromUrl, thinkingForEffort } from './openaiToAnthropicParts.ts';
import { RequestError } from './requestError.ts';
import type { ResponsesContentPart, ResponsesInputItem, ResponsesRequest } from './responsesRequest.ts';
import {
  convertResponsesToolChoice,
  convertResponsesTools,
  flatToolName,
  type ClientFunctionName,
} from './responsesTools.ts';

export interface ResponsesTranslation {
  request: AnthropicRequest;
  /** Flattened namespace tool names → the client's `{namespace, name}`, for the answer. */
  namespaced: Record<string, ClientFunctionName>;
}

/** Every input item, the `previous_response_id` conversation first. A string input is one user message. */
export function responsesInputItems(
  request: Pick<ResponsesRequest, 'input'>,
  history: readonly ResponsesInputItem[] = [],
): ResponsesInputItem[] {
  const input =
    typeof request.input === 'string' ? [{ role: 'user' as const, content: request.input }] : request.input;
  return [...history, ...input];
}

export function responsesToAnthropic(
  request: ResponsesRequest,
  history: readonly ResponsesInputItem[] = [],
): ResponsesTranslation {
  const tools = convertResponsesTools(request.tools);
  const toolChoice = convertResponsesToolChoice(request.tool_choice, tools);
  const { system, messages } = convertItems(responsesInputItems(request, history), request.instructions);
  const effort = request.reasoning?.effort;
  const sessionKey = request.prompt_cache_key ?? request.user;
  const anthropic: AnthropicRequest = {
    model: request.model,
    messages,
    ...(system !== '' ? { system } : {}),
    ...(request.max_output_tokens != null ? { max_tokens: request.max_output_tokens } : {}),
    ...(request.stream != null ? { stream: request.stream } : {}),
    ...(tools.tools.length > 0 ? { tools: tools.tools } : {}),
    ...(toolChoice !== undefined && tools.tools.length > 0 ? { tool_choice: toolChoice } : {}),
    ...thinkingForEffort(effort),
    ...(sessionKey !== undefined ? { metadata: { user_id: sessionKey } } : {}),
    ...(request.temperature != null ? { temperature: request.temperature } : {}),
    ...(request.top_p != null ? { top_p: request.top_p } : {}),
  };
  return { request: anthropic, namespaced: tools.namespaced };
}

/**
 * `instructions` and leading system/developer messages become the system prompt; later ones stay in place as
 * `role: "system"` messages. Function calls join the assistant message before them and their outputs the user
 * message after, as Anthropic pairs tool_use and tool_result.
 */
function convertItems(
  items: readonly ResponsesInputItem[],
  instructions: string | null | undefined,
): { system: string; messages: AnthropicMessage[] } {
  const systemTexts = instructions ? [instructions] : [];
  const messages: AnthropicMessage[] = [];
  for (const item of items) {
    const role = 'role' in item ? item.role : undefined;
    if (item.type === undefined || item.type === 'message') {
      if (role === 'system' || role === 'developer') {
        const text = partsText(item);
        if (messages.length === 0) systemTexts.push(text);
        else messages.push({ role: 'system', content: text });
      } else if (role === 'user' || role === 'assistant') {
        append(messages, role, messageBlocks(item, role));
      } else throw new RequestError('every message item needs a role: user, assistant, system or developer');
    } else append(messages, ...itemBlocks(item));
  }
  if (messages.length === 0) {
    throw new RequestError(
      'input must contain at least one user, assistant or function item besides system ones',
    );
  }
  return { system: systemTexts.filter((text) => text !== '').join('\n\n'), messages };
}

function itemBlocks(item: ResponsesInputItem): ['user' | 'assistant', AnthropicContentBlock[]] {
  const fields = item as Record<string, unknown>;
  switch (item.type) {
    case 'function_call':
      return [
        'assistant',
        [
          {
            type: 'tool_use',
            id: String(fields.call_id),
            name: callName(fields),
            input: parseArguments(fields),
          },
        ],
      ];
    case 'function_call_output':
      return [
        'user',
        [{ type: 'tool_result', tool_use_id: String(fields.call_id), content: toolOutput(fields.output) }],
      ];
    case 'reasoning':
      return ['assistant', reasoningBlocks(fields)];
    case 'web_search_call':
      // Codex sends its earlier searches back; what they found is already in the answer that followed.
      return ['assistant', []];
    default:
      throw new RequestError(
        `input item type "${item.type}" is not supported; send message, function_call, function_call_output or reasoning items`,
      );
  }
}

/** Consecutive blocks of one role go into one message. */
function append(
  messages: AnthropicMessage[],
  role: 'user' | 'assistant',
  blocks: AnthropicContentBlock[],
): void {
  if (blocks.length === 0) return;
  const last = messages.at(-1);
  if (last?.role === role && Array.isArray(last.content)) last.content.push(...blocks);
  else messages.push({ role, content: blocks });
}

function messageBlocks(item: ResponsesInputItem, role: 'user' | 'assistant'): AnthropicContentBlock[] {
  const content = (item as { content: string | ResponsesContentPart[] }).content;
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.flatMap((part) => contentBlock(part, role));
}

function contentBlock(part: ResponsesContentPart, role: 'user' | 'assistant'): AnthropicContentBlock[] {
  const fields = part as Record<string, unknown>;
  if (typeof fields.text === 'string' && ['input_text', 'output_text', 'text'].includes(part.type)) {
    return fields.text === '' ? [] : [{ type: 'text', text: fields.text }];
  }
  if (part.type === 'refusal' && typeof fields.refusal === 'string')
    return [{ type: 'text', text: fields.refusal }];
  if (part.type === 'input_image' && role === 'user') return [imageBlock(fields)];
  throw new RequestError(
    `content part type "${part.type}" is not supported here; send input_text or input_image parts (output_text for the assistant)`,
  );
}

function imageBlock(part: Record<string, unknown>): AnthropicContentBlock {
  const url = part.image_url;
  if (typeof url !== 'string' || url === '') {
    throw new RequestError('input_image needs an image_url (a data: URL); file ids are not supported');
  }
  return imageBlockFromUrl(url);
}

function toolOutput(output: unknown): string | AnthropicContentBlock[] {
  if (typeof output === 'string') return output;
  return (output as ResponsesContentPart[]).flatMap((part) => contentBlock(part, 'user'));
}

/** The summary (or the reasoning text) replayed as a thinking block; the signature rides in encrypted_content. */
function reasoningBlocks(item: Record<string, unknown>): AnthropicContentBlock[] {
  const texts = [
    ...((item.summary as { text: string }[] | undefined) ?? []),
    ...((item.content as { text?: string }[] | null | undefined) ?? []),
  ]
    .map((part) => part.text ?? '')
    .filter((text) => text !== '');
  if (texts.length === 0) return [];
  const signature = typeof item.encrypted_content === 'string' ? item.encrypted_content : undefined;
  return [{ type: 'thinking', thinking: texts.join('\n\n'), ...(signature ? { signature } : {}) }];
}

function callName(item: Record<string, unknown>): string {
  const namespace = typeof item.namespace === 'string' ? item.namespace : undefined;
  return flatToolName({ name: String(item.name), namespace });
}

function parseArguments(item: Record<string, unknown>): unknown {
  const text = String(item.arguments);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RequestError(`function_call "${String(item.call_id)}" has arguments that are not valid JSON`);
  }
}

function partsText(item: ResponsesInputItem): string {
  const content = (item as { content: string | ResponsesContentPart[] }).content;
  if (typeof content === 'string') return content;
  return content
    .map((part) => ((part as { text?: unknown }).text as string | undefined) ?? '')
    .filter((text) => typeof text === 'string' && text !== '')
    .join('\n');
}
