/**
 * Conversation turns → Kiro history entries and current message. Kiro rejects blank content anywhere
 * (docs/upstream/request-rules.md rule 4), so every message gets a placeholder when it has nothing to say.
 */
import type {
  KiroAssistantResponseMessage,
  KiroHistoryEntry,
  KiroReasoningContent,
  KiroToolResult,
  KiroToolSpecification,
  KiroUserInputMessage,
} from '../kiro/kiroRequest.ts';
import type {
  AssistantTurn,
  ConversationTurn,
  SignedReasoning,
  ToolResultEntry,
  UserTurn,
} from './historyNormalizer.ts';
import { replayedThinking } from './thinkingPrompt.ts';
import { toolResultText } from './toolPairing.ts';
import type { ToolNameMap } from './toolNames.ts';

const KIRO_ORIGIN = 'AI_EDITOR';

export interface KiroMessageOptions {
  modelId: string;
  toolNames: ToolNameMap;
  /** Written in front of the conversation's first user message. */
  systemPrefix: string;
  /** Replay earlier thinking into assistant text (only when thinking tags are on for this request). */
  replayThinking: boolean;
  /** Replay signed reasoning as Kiro's `reasoningContent` (native reasoning is on for this request). */
  replayReasoning?: boolean;
  /** Declared on the current message only. */
  tools: KiroToolSpecification[];
}

export interface KiroMessages {
  history: KiroHistoryEntry[];
  current: KiroUserInputMessage;
}

/** Expects alternating turns that start and end with a user turn; the last one becomes the current message. */
export function toKiroMessages(
  turns: readonly ConversationTurn[],
  options: KiroMessageOptions,
): KiroMessages {
  const lastIndex = turns.length - 1;
  const history: KiroHistoryEntry[] = [];
  let current: KiroUserInputMessage | undefined;
  turns.forEach((turn, index) => {
    const prefix = index === 0 ? options.systemPrefix : '';
    if (turn.role === 'assistant')
      history.push({ assistantResponseMessage: assistantMessage(turn, options) });
    else if (index < lastIndex)
      history.push({ userInputMessage: userMessage(turn, 'history', prefix, options) });
    else current = userMessage(turn, 'current', prefix, options);
  });
  if (current === undefined) throw new Error('conversation turns must end with a user turn');
  return { history, current };
}

function userMessage(
  turn: UserTurn,
  position: 'history' | 'current',
  prefix: string,
  options: KiroMessageOptions,
): KiroUserInputMessage {
  const message: KiroUserInputMessage = {
    content: prefix + userContent(turn, position),
    modelId: options.modelId,
    origin: KIRO_ORIGIN,
  };
  if (turn.images.length > 0) message.images = turn.images;
  const tools = position === 'current' ? options.tools : [];
  const toolResults = turn.toolResults.map(kiroToolResult);
  if (tools.length > 0 || toolResults.length > 0) {
    message.userInputMessageContext = {
      ...(tools.length > 0 ? { tools } : {}),
      ...(toolResults.length > 0 ? { toolResults } : {}),
    };
  }
  return message;
}

/**
 * A message that only carries tool results reads the same in history as it did as the current message, so
 * the request prefix does not change when it moves into history on the next turn.
 */
function userContent(turn: UserTurn, position: 'history' | 'current'): string {
  if (turn.texts.length > 0) return turn.texts.join('\n\n');
  if (turn.toolResults.length > 0) return 'Tool results provided.';
  return position === 'current' ? 'Continue' : '(empty)';
}

function kiroToolResult(result: ToolResultEntry): KiroToolResult {
  return {
    toolUseId: result.toolUseId,
    content: [{ text: toolResultText(result.text) }],
    status: result.status,
  };
}

/** Kiro takes one reasoning object per message; the turn's last one is the reasoning its answer followed from. */
function kiroReasoning(reasoning: SignedReasoning): KiroReasoningContent {
  return 'redactedContent' in reasoning
    ? { redactedContent: reasoning.redactedContent }
    : { reasoningText: { text: reasoning.text, signature: reasoning.signature } };
}

function assistantMessage(turn: AssistantTurn, options: KiroMessageOptions): KiroAssistantResponseMessage {
  const thinking = options.replayThinking ? replayedThinking(turn.thinking) : '';
  const text = thinking + turn.texts.join('\n\n');
  const placeholder = turn.toolUses.length > 0 ? ' ' : '(empty)';
  const message: KiroAssistantResponseMessage = { content: text === '' ? placeholder : text };
  const reasoning = options.replayReasoning ? turn.signedReasoning.at(-1) : undefined;
  if (reasoning !== undefined) message.reasoningContent = kiroReasoning(reasoning);
  if (turn.toolUses.length > 0) {
    message.toolUses = turn.toolUses.map((toolUse) => ({
      ...toolUse,
      name: options.toolNames.toKiro(toolUse.name),
    }));
  }
  return message;
}
