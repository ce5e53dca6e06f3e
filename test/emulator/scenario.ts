/**
 * What the emulated model answers to one request: deterministic from the conversation and its directives, so
 * tests can predict every byte except the random tool-use ids.
 */
import { randomBytes } from 'node:crypto';
import type { KiroTokenUsage } from '../../electron/core/kiro/kiroEvents.ts';
import type { ConversationView } from './conversationView.ts';
import type { Directives } from './directives.ts';
import { redactedReasoning, signReasoning } from './reasoningSignature.ts';
import { userTextOf } from './userText.ts';

/** Always part of the default reply, so a test can tell the answer arrived whole (non-ASCII on purpose). */
export const DEFAULT_REPLY_SENTENCE = 'Hello from the Kiro emulator — café, 漢字, 🎉.';
const ECHO_LENGTH = 80;

export interface EmulatedToolCall {
  toolUseId: string;
  name: string;
  input: Record<string, unknown>;
}

export interface Scenario {
  /** `<thinking>…</thinking>\n\n`, sent as text before the reply, when thinking was asked for. */
  thinking?: string;
  /** Native reasoning (reasoningContentEvent), when `additionalModelRequestFields` asked for it. */
  reasoning?: { text: string; signature: string; redacted?: string };
  text: string;
  toolCalls: EmulatedToolCall[];
  chunkCount: number;
  credits: number;
  contextUsagePercentage: number;
  /** Present only when the request asked for a metadataEvent. */
  tokenUsage?: KiroTokenUsage;
}

export interface ScenarioSettings {
  chunkCount: number;
  /** The denominator of contextUsagePercentage: the model's input limit unless the emulator was given one. */
  contextWindow: number;
  /**
   * The emulator's stand-in for the prompt's token count: the body's bytes ÷ 4 without the images' base64 text,
   * plus the images' pixel tokens.
   */
  inputTokens: number;
}

export function buildScenario(
  view: ConversationView,
  directives: Directives,
  settings: ScenarioSettings,
): Scenario {
  const answersToolResults = view.toolResultTexts.length > 0;
  const nextSearch = view.declaresWebSearch ? view.searchQueries[view.searchesMade] : undefined;
  const toolCalls =
    nextSearch !== undefined
      ? [{ toolUseId: newToolUseId(), name: 'web_search', input: { query: nextSearch } }]
      : answersToolResults
        ? []
        : directives.tools.map((tool) => ({ toolUseId: newToolUseId(), ...tool }));
  const text =
    nextSearch !== undefined
      ? `Searching the web for "${nextSearch}".`
      : (directives.reply ?? replyText(view, toolCalls));
  const thinking = view.thinkingRequested || directives.thinksAnyway ? THINKING_TEXT : undefined;
  const reasoning = view.nativeReasoningEffort ? nativeReasoning(view, directives) : undefined;
  const { inputTokens } = settings;
  const outputChars =
    (thinking?.length ?? 0) +
    text.length +
    toolCalls.reduce((sum, call) => sum + JSON.stringify(call.input).length, 0);
  const outputTokens = Math.ceil(outputChars / 4);
  return {
    thinking,
    ...(reasoning ? { reasoning } : {}),
    text,
    toolCalls,
    chunkCount: directives.chunkCount ?? settings.chunkCount,
    credits: directives.credits ?? roundTo4(0.01 + inputTokens / 200_000 + outputTokens / 20_000),
    contextUsagePercentage: roundTo4((inputTokens / settings.contextWindow) * 100),
    tokenUsage: directives.usage ? tokenUsage(inputTokens, outputTokens, directives) : undefined,
  };
}

function replyText(view: ConversationView, toolCalls: EmulatedToolCall[]): string {
  if (view.toolResultTexts.length > 0) return `Tool results received: ${view.toolResultTexts.join('\n')}`;
  if (toolCalls.length > 0) return `Calling ${toolCalls.map((call) => call.name).join(', ')}.`;
  return `${DEFAULT_REPLY_SENTENCE} You said: "${echoOf(userTextOf(view.currentContent))}"`;
}

/** The last ≤ 80 characters of the trimmed content, never splitting a surrogate pair. */
function echoOf(content: string): string {
  const codePoints = Array.from(content.trim());
  return codePoints.slice(-ECHO_LENGTH).join('');
}

/** Fixed: echoing the prompt here could echo its `<thinking_mode>` tags into the thinking block. */
const THINKING_TEXT =
  '<thinking>Reading the request carefully. A short, direct answer fits best, so I will give one.</thinking>\n\n';

function nativeReasoning(view: ConversationView, directives: Directives): NonNullable<Scenario['reasoning']> {
  const text = `Reasoning at ${view.nativeReasoningEffort} effort: a short, direct answer fits best.`;
  const redacted = directives.redactedThinking ? redactedReasoning(view.currentContent) : undefined;
  return { text, signature: signReasoning(text), ...(redacted ? { redacted } : {}) };
}

function tokenUsage(inputTokens: number, outputTokens: number, directives: Directives): KiroTokenUsage {
  const cacheRead = directives.cacheReadTokens ?? 0;
  const cacheWrite = directives.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, inputTokens - cacheRead - cacheWrite);
  return {
    uncachedInputTokens: uncached,
    outputTokens,
    totalTokens: uncached + cacheRead + cacheWrite + outputTokens,
    cacheReadInputTokens: cacheRead,
    cacheWriteInputTokens: cacheWrite,
  };
}

function newToolUseId(): string {
  return `tooluse_${randomBytes(16).toString('base64url')}`;
}

function roundTo4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
