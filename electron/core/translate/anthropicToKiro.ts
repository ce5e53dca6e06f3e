/**
 * Anthropic Messages request → Kiro `generateAssistantResponse` body. Pure apart from a random conversation id
 * when the request carries none. Every rule applied here answers an upstream rejection someone hit
 * (docs/upstream/request-rules.md §2); the steps live in the modules imported below.
 */
import type { KiroConversationRequest } from '../kiro/kiroRequest.ts';
import type { AnthropicRequest } from './anthropicRequest.ts';
import { resolveConversationId } from './conversationId.ts';
import { countAnthropicInputParts, type InputTokenParts } from './countTokens.ts';
import { toConversationTurns, type ConversationTurn } from './historyNormalizer.ts';
import { toKiroMessages } from './kiroMessages.ts';
import { resolveModel, type ModelLimits } from './modelMapping.ts';
import { checkInputTokens, fitPayload, payloadLimitFor } from './payloadGuard.ts';
import { systemPromptPrefix, systemPromptText } from './systemPrompt.ts';
import { thinkingTags } from './thinkingPrompt.ts';
import { createToolNameMap } from './toolNames.ts';
import { pairToolCalls } from './toolPairing.ts';
import { buildKiroTools } from './toolSpecs.ts';
import { nativeReasoningFields, type ReasoningLookup } from './nativeReasoning.ts';
import { WEB_SEARCH_FUNCTION, webSearchToolSpecification, type WebSearchConfig } from './webSearchTool.ts';

export interface TranslateOptions {
  /** Root `profileArn` when present. */
  profileArn?: string;
  /** Else the session id from `metadata.user_id`, else a random UUID. */
  conversationId?: string;
  /** Client model id → Kiro modelId, checked before the built-in mapping. */
  modelAliases?: Record<string, string>;
  /** Default: sized by the chosen model's input limit (payloadGuard.ts). */
  maxPayloadBytes?: number;
  /** Which models take native reasoning fields (default: none, thinking goes as prompt tags). */
  reasoning?: ReasoningLookup;
  /** Offer the model the web search function (the request carried the web search server tool). */
  webSearch?: WebSearchConfig;
  /** Kiro's input limits per model (ListAvailableModels); default: the built-in list. */
  modelLimits?: ModelLimits;
  /**
   * The client asked for the 1M-token context by header (`anthropic-beta: context-1m-…`, which is how Claude
   * Code sends a `[1m]` model): the model is resolved as if named with `[1m]`.
   */
  oneMillionContext?: boolean;
  /** The figure reported for the request's input (the calibrated estimate); default: the plain estimate. */
  inputTokens?: (modelId: string, parts: InputTokenParts) => number;
  /** Only counting (count_tokens): a prompt over the model's limits is counted, not refused. */
  countOnly?: boolean;
}

export interface KiroTranslation {
  body: KiroConversationRequest;
  /** Kiro modelId sent. */
  modelId: string;
  /** The model's input limit in tokens, for usage math. */
  contextWindow: number;
  /** Thinking tags were injected: the response side must split `<thinking>` tags out of the text. */
  thinking: boolean;
  /** Thinking went as Kiro's native reasoning fields (and signed reasoning was replayed in history). */
  nativeReasoning: boolean;
  /**
   * With native reasoning: the same turn with thinking as prompt tags, for where the fields are refused (the
   * runtime host, a model whose catalogue entry was wrong; docs/native-reasoning.md).
   */
  withThinkingTags?: () => KiroTranslation;
  /** Shortened tool name → the client's original (identity otherwise). */
  restoreToolName(upstreamName: string): string;
  /** The request's input as reported everywhere (count_tokens, message_start, message_delta). */
  estimatedInputTokens: number;
  /** The uncalibrated estimate's parts, for learning from Kiro's figure. */
  inputTokenParts: InputTokenParts;
}

/** Throws RequestError with a message saying what to change when the request cannot be sent to Kiro. */
export function translateAnthropicRequest(
  request: AnthropicRequest,
  options: TranslateOptions = {},
): KiroTranslation {
  const asked =
    options.oneMillionContext && !/\[1m\]$/i.test(request.model) ? `${request.model}[1m]` : request.model;
  const { modelId, contextWindow } = resolveModel(asked, options.modelAliases, options.modelLimits);
  const inputTokenParts = countAnthropicInputParts(request);
  const estimatedInputTokens =
    options.inputTokens?.(modelId, inputTokenParts) ?? inputTokenParts.text + inputTokenParts.images;
  if (!options.countOnly) checkInputTokens(estimatedInputTokens, modelId, contextWindow);
  const toolNames = createToolNameMap();
  const support = options.reasoning?.(modelId);
  const reasoningFields = support ? nativeReasoningFields(request, support) : undefined;
  const tags = reasoningFields ? undefined : thinkingTags(request);
  const turns = pairToolCalls(toConversationTurns(request.messages));
  const kiroTools = buildKiroTools(request.tools, historyToolNames(turns, options.webSearch), toolNames);
  if (options.webSearch) kiroTools.tools.push(webSearchToolSpecification(options.webSearch));
  const systemPrefix = systemPromptPrefix({
    thinkingTags: tags,
    systemText: systemPromptText(request.system),
    sections: kiroTools.systemSections,
  });
  const { history, current } = toKiroMessages(turns, {
    modelId,
    toolNames,
    systemPrefix,
    replayThinking: tags !== undefined,
    replayReasoning: reasoningFields !== undefined,
    tools: kiroTools.tools,
  });
  const body: KiroConversationRequest = {
    conversationState: {
      conversationId: resolveConversationId(options.conversationId, request.metadata?.user_id),
      chatTriggerType: 'MANUAL',
      agentTaskType: 'vibe',
      currentMessage: { userInputMessage: current },
      ...(history.length > 0 ? { history } : {}),
    },
    ...(options.profileArn !== undefined ? { profileArn: options.profileArn } : {}),
    ...(reasoningFields ? { additionalModelRequestFields: reasoningFields } : {}),
  };
  return {
    body: options.countOnly
      ? body
      : fitPayload(body, options.maxPayloadBytes ?? payloadLimitFor(contextWindow)),
    modelId,
    contextWindow,
    thinking: tags !== undefined,
    nativeReasoning: reasoningFields !== undefined,
    ...(reasoningFields && {
      withThinkingTags: once(() => translateAnthropicRequest(request, { ...options, reasoning: undefined })),
    }),
    restoreToolName: toolNames.restore,
    estimatedInputTokens,
    inputTokenParts,
  };
}

/** Tools the history used; the search function is declared on its own when the request offers search. */
function historyToolNames(
  turns: readonly ConversationTurn[],
  webSearch: WebSearchConfig | undefined,
): string[] {
  const names = turns.flatMap((turn) =>
    turn.role === 'assistant' ? turn.toolUses.map((toolUse) => toolUse.name) : [],
  );
  return webSearch ? names.filter((name) => name !== WEB_SEARCH_FUNCTION) : names;
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
