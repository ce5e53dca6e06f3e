/**
 * The few things the emulator's answer depends on, read tolerantly from a request body that (with strict mode
 * off) may have any shape.
 */

export interface ConversationView {
  /** conversationState.currentMessage.userInputMessage.content, or '' when absent. */
  currentContent: string;
  /** One text per tool result in the current message, in order. */
  toolResultTexts: string[];
  /** Tag-injected thinking was asked for anywhere in the user turns (kiro-protocol.md §2.3). */
  thinkingRequested: boolean;
  /** The current message's modelId, when it is a string. */
  modelId?: string;
}

const THINKING_TAG = /<thinking_mode>(enabled<\/thinking_mode>|adaptive)/;

export function viewConversation(body: unknown): ConversationView {
  const state = field(body, 'conversationState');
  const current = field(field(state, 'currentMessage'), 'userInputMessage');
  const currentContent = stringOf(field(current, 'content'));
  const toolResults = arrayOf(field(field(current, 'userInputMessageContext'), 'toolResults'));
  const historyContents = arrayOf(field(state, 'history')).map((entry) =>
    stringOf(field(field(entry, 'userInputMessage'), 'content')),
  );
  return {
    currentContent,
    toolResultTexts: toolResults.map(toolResultText),
    thinkingRequested: [currentContent, ...historyContents].some((content) => THINKING_TAG.test(content)),
    ...(typeof field(current, 'modelId') === 'string' && { modelId: field(current, 'modelId') as string }),
  };
}

function toolResultText(result: unknown): string {
  return arrayOf(field(result, 'content'))
    .map((block) => {
      const text = field(block, 'text');
      if (typeof text === 'string') return text;
      const json = field(block, 'json');
      return json === undefined ? '' : JSON.stringify(json);
    })
    .join('');
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
