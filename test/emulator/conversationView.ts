/**
 * The few things the emulator's answer depends on, read tolerantly from a request body that (with strict mode
 * off) may have any shape.
 */

export interface ConversationView {
  /** conversationState.currentMessage.userInputMessage.content, or '' when absent. */
  currentContent: string;
  /** One text per tool result in the current message, in order. */
  toolResultTexts: string[];
  /** Tag-injected thinking was asked for anywhere in the user turns (docs/upstream/request-rules.md §3). */
  thinkingRequested: boolean;
  /** The effort of native reasoning (`additionalModelRequestFields`, adaptive), when it was asked for. */
  nativeReasoningEffort?: string;
  /** The current tool list declares a `web_search` function. */
  declaresWebSearch: boolean;
  /** Queries to search for, in order: `[[search:QUERY]]` directives and Claude Code's search prompt. */
  searchQueries: string[];
  /** How many `web_search` calls the history already holds. */
  searchesMade: number;
  /** The current message's modelId, when it is a string. */
  modelId?: string;
}

const SEARCH_DIRECTIVE = /\[\[search:([^\]]+)\]\]/g;
const CLAUDE_CODE_SEARCH_PROMPT = /^Perform a web search for the query: (.+)$/m;

const THINKING_TAG = /<thinking_mode>(enabled<\/thinking_mode>|adaptive)/;

export function viewConversation(body: unknown): ConversationView {
  const state = field(body, 'conversationState');
  const current = field(field(state, 'currentMessage'), 'userInputMessage');
  const currentContent = stringOf(field(current, 'content'));
  const toolResults = arrayOf(field(field(current, 'userInputMessageContext'), 'toolResults'));
  const historyContents = arrayOf(field(state, 'history')).map((entry) =>
    stringOf(field(field(entry, 'userInputMessage'), 'content')),
  );
  const userContents = [...historyContents, currentContent];
  const tools = arrayOf(field(field(current, 'userInputMessageContext'), 'tools'));
  const fields = field(body, 'additionalModelRequestFields');
  const effort = field(field(fields, 'output_config'), 'effort');
  return {
    currentContent,
    toolResultTexts: toolResults.map(toolResultText),
    thinkingRequested: [currentContent, ...historyContents].some((content) => THINKING_TAG.test(content)),
    ...(field(field(fields, 'thinking'), 'type') === 'adaptive'
      ? { nativeReasoningEffort: typeof effort === 'string' ? effort : 'high' }
      : {}),
    declaresWebSearch: tools.some((tool) => field(field(tool, 'toolSpecification'), 'name') === 'web_search'),
    searchQueries: userContents.flatMap(searchQueriesIn),
    searchesMade: arrayOf(field(state, 'history'))
      .flatMap((entry) => arrayOf(field(field(entry, 'assistantResponseMessage'), 'toolUses')))
      .filter((toolUse) => field(toolUse, 'name') === 'web_search').length,
    ...(typeof field(current, 'modelId') === 'string' && { modelId: field(current, 'modelId') as string }),
  };
}

function searchQueriesIn(content: string): string[] {
  const prompt = CLAUDE_CODE_SEARCH_PROMPT.exec(content)?.[1]?.trim();
  const directives = [...content.matchAll(SEARCH_DIRECTIVE)].map((match) => match[1]!.trim());
  return [...(prompt ? [prompt] : []), ...directives];
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
