/**
 * Builds well-formed generateAssistantResponse bodies (docs/upstream/request-rules.md §1) for tests that talk to the
 * emulator directly.
 */
import type {
  KiroConversationRequest,
  KiroHistoryEntry,
  KiroImage,
  KiroToolResult,
  KiroToolSpecification,
} from '../../electron/core/kiro/kiroRequest.ts';

export interface KiroRequestParts {
  modelId?: string;
  history?: KiroHistoryEntry[];
  tools?: KiroToolSpecification[];
  toolResults?: KiroToolResult[];
  images?: KiroImage[];
}

export function kiroRequestBody(content: string, parts: KiroRequestParts = {}): KiroConversationRequest {
  const context = {
    ...(parts.tools ? { tools: parts.tools } : {}),
    ...(parts.toolResults ? { toolResults: parts.toolResults } : {}),
  };
  return {
    conversationState: {
      conversationId: '6f1c2b9e-3d4a-4c1b-9a7e-2f0d8c5b1a34',
      chatTriggerType: 'MANUAL',
      agentTaskType: 'vibe',
      currentMessage: {
        userInputMessage: {
          content,
          modelId: parts.modelId ?? 'claude-sonnet-4.5',
          origin: 'AI_EDITOR',
          ...(parts.images ? { images: parts.images } : {}),
          ...(Object.keys(context).length > 0 ? { userInputMessageContext: context } : {}),
        },
      },
      ...(parts.history ? { history: parts.history } : {}),
    },
  };
}

export function toolSpecification(name: string, description = `The ${name} tool`): KiroToolSpecification {
  return {
    toolSpecification: {
      name,
      description,
      inputSchema: { json: { type: 'object', properties: {}, additionalProperties: true } },
    },
  };
}
