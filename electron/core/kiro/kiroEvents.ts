/**
 * Typed Kiro stream events, decoded from event-stream messages (docs/upstream/event-stream.md §2–3).
 * Unknown event types are kept (as `unknown`) so callers can ignore them explicitly.
 */

export interface KiroTokenUsage {
  uncachedInputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export type KiroEvent =
  | { type: 'assistantResponse'; content: string }
  | { type: 'toolUse'; toolUseId: string; name: string; input: string; stop: boolean }
  | { type: 'reasoningContent'; text?: string; signature?: string; redactedContent?: string }
  | { type: 'metering'; usage: number; unit?: string }
  | { type: 'contextUsage'; contextUsagePercentage: number }
  | { type: 'metadata'; tokenUsage?: KiroTokenUsage; stopReason?: string }
  /** A `:message-type: exception` or `error` frame: the upstream failed mid-stream. */
  | { type: 'exception'; exceptionType: string; message: string; reason?: string }
  | { type: 'unknown'; eventType: string };
