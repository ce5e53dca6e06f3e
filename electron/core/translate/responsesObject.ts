/**
 * The OpenAI Responses `response` object Kiro Dock answers with, and its usage. Field names follow the openai
 * SDK's types (resources/responses/responses.d.ts); `output_text` is left out because the SDKs compute it.
 */
import type { ResponsesInputItem } from './responsesRequest.ts';
import { estimateTokens } from './tokenEstimate.ts';
import type { StopReason, TurnUsage } from './turnEvents.ts';

export interface ResponsesOutputText {
  type: 'output_text';
  text: string;
  annotations: [];
  logprobs: [];
}

export type ResponsesOutputItem =
  | {
      type: 'message';
      id: string;
      status: 'in_progress' | 'completed' | 'incomplete';
      role: 'assistant';
      content: ResponsesOutputText[];
    }
  | {
      type: 'function_call';
      id: string;
      status: 'in_progress' | 'completed' | 'incomplete';
      call_id: string;
      name: string;
      namespace?: string;
      arguments: string;
    }
  | {
      type: 'reasoning';
      id: string;
      status?: 'in_progress' | 'completed' | 'incomplete';
      summary: { type: 'summary_text'; text: string }[];
      encrypted_content?: string;
    }
  | {
      /** A search Kiro Dock ran for the model (the built-in `web_search` tool, docs/web-search.md). */
      type: 'web_search_call';
      id: string;
      status: 'in_progress' | 'searching' | 'completed' | 'failed';
      action: { type: 'search'; query: string };
    };

export interface ResponsesUsage {
  /** Everything the model read: uncached, cache-read and cache-written input. */
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponsesStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponsesObject {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponsesStatus;
  background: false;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  model: string;
  output: ResponsesOutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null };
  store: boolean;
  temperature: number | null;
  text: { format: { type: 'text' } };
  tool_choice: unknown;
  tools: unknown[];
  top_p: number | null;
  truncation: 'disabled';
  usage: ResponsesUsage | null;
  metadata: Record<string, string>;
}

/** What a response echoes of its request, fixed before the turn starts. */
export interface ResponsesEcho {
  id: string;
  model: string;
  createdAt: number;
  instructions?: string | null;
  maxOutputTokens?: number | null;
  previousResponseId?: string | null;
  reasoningEffort?: string | null;
  store?: boolean;
  temperature?: number | null;
  topP?: number | null;
  toolChoice?: unknown;
  tools?: unknown[];
  metadata?: Record<string, string> | null;
}

export function responsesObject(
  echo: ResponsesEcho,
  state: { status: ResponsesStatus; output: ResponsesOutputItem[]; usage?: ResponsesUsage },
): ResponsesObject {
  return {
    id: echo.id,
    object: 'response',
    created_at: echo.createdAt,
    status: state.status,
    background: false,
    error: null,
    incomplete_details: state.status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: echo.instructions ?? null,
    max_output_tokens: echo.maxOutputTokens ?? null,
    model: echo.model,
    output: state.output,
    parallel_tool_calls: true,
    previous_response_id: echo.previousResponseId ?? null,
    reasoning: { effort: echo.reasoningEffort ?? null, summary: null },
    store: echo.store ?? true,
    temperature: echo.temperature ?? null,
    text: { format: { type: 'text' } },
    tool_choice: echo.toolChoice ?? 'auto',
    tools: echo.tools ?? [],
    top_p: echo.topP ?? null,
    truncation: 'disabled',
    usage: state.usage ?? null,
    metadata: echo.metadata ?? {},
  };
}

/** A turn cut short by the output limit (or the context window) is `incomplete`, as the real API says. */
export function responsesStatusOf(stopReason: StopReason): 'completed' | 'incomplete' {
  return stopReason === 'max_tokens' || stopReason === 'model_context_window_exceeded'
    ? 'incomplete'
    : 'completed';
}

/** Kiro reports no split of output tokens, so the reasoning share is estimated from the thinking text. */
export function responsesUsage(usage: TurnUsage, thinkingText: string): ResponsesUsage {
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const inputTokens = usage.inputTokens + cacheRead + (usage.cacheCreationInputTokens ?? 0);
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: cacheRead },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: Math.min(usage.outputTokens, estimateTokens(thinkingText)) },
    total_tokens: inputTokens + usage.outputTokens,
  };
}

/** A response's output as the input items a follow-up (`previous_response_id`) continues from. */
export function responsesOutputAsInput(output: readonly ResponsesOutputItem[]): ResponsesInputItem[] {
  // A search call is the model's own step: the answer that follows it already carries what was found.
  return output.flatMap((item): ResponsesInputItem[] =>
    item.type === 'web_search_call' ? [] : [asInput(item)],
  );
}

function asInput(item: Exclude<ResponsesOutputItem, { type: 'web_search_call' }>): ResponsesInputItem {
  if (item.type === 'message') {
    const content = item.content.map((part) => ({ type: 'output_text' as const, text: part.text }));
    return { type: 'message', role: 'assistant', content };
  }
  if (item.type === 'function_call') {
    const { call_id, name, namespace } = item;
    return {
      type: 'function_call',
      call_id,
      name,
      ...(namespace ? { namespace } : {}),
      arguments: item.arguments,
    };
  }
  return {
    type: 'reasoning',
    summary: item.summary,
    ...(item.encrypted_content ? { encrypted_content: item.encrypted_content } : {}),
  };
}
