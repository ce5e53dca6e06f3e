/**
 * The body of `generateAssistantResponse` (docs/upstream/request-rules.md §1). Only the fields Kiro Dock sends are typed;
 * the upstream accepts more.
 */

export type KiroImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export interface KiroImage {
  format: KiroImageFormat;
  source: { bytes: string };
}

export interface KiroToolSpecification {
  toolSpecification: {
    name: string;
    description: string;
    inputSchema: { json: Record<string, unknown> };
  };
}

export interface KiroToolResult {
  toolUseId: string;
  content: Array<{ text: string } | { json: unknown }>;
  status: 'success' | 'error';
}

export interface KiroToolUse {
  toolUseId: string;
  name: string;
  input: Record<string, unknown>;
}

export interface KiroUserInputMessage {
  content: string;
  modelId: string;
  origin: string;
  images?: KiroImage[];
  userInputMessageContext?: {
    tools?: KiroToolSpecification[];
    toolResults?: KiroToolResult[];
  };
}

/** Signed reasoning replayed in history: one object, nested (a flat string is refused), docs/native-reasoning.md. */
export type KiroReasoningContent =
  { reasoningText: { text: string; signature: string } } | { redactedContent: string };

export interface KiroAssistantResponseMessage {
  content: string;
  toolUses?: KiroToolUse[];
  reasoningContent?: KiroReasoningContent;
}

export type KiroHistoryEntry =
  { userInputMessage: KiroUserInputMessage } | { assistantResponseMessage: KiroAssistantResponseMessage };

export interface KiroConversationRequest {
  conversationState: {
    conversationId: string;
    chatTriggerType: 'MANUAL';
    agentTaskType?: 'vibe';
    agentContinuationId?: string;
    currentMessage: { userInputMessage: KiroUserInputMessage };
    history?: KiroHistoryEntry[];
  };
  profileArn?: string;
  /** Native reasoning for models that advertise it (docs/native-reasoning.md). */
  additionalModelRequestFields?: {
    thinking: { type: 'adaptive' | 'disabled' };
    output_config?: { effort: string };
  };
}
