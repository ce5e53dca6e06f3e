/**
 * Turns Kiro's stream events into the neutral turn events both client dialects are rendered from
 * (docs/upstream/event-stream.md §3–4, request-rules.md §3). Everything is passed on as soon as it arrives; the only things held back
 * are a possible partial thinking tag and a native reasoning signature (sent whole once its block is over).
 * A stream that ends in a way a client could mistake for a complete answer is an error, never a silent end.
 */
import type { KiroEvent, KiroTokenUsage } from '../kiro/kiroEvents.ts';
import { classifyStreamException } from '../kiro/classifyUpstreamError.ts';
import { UpstreamError } from '../kiro/upstreamError.ts';
import {
  createThinkingTagSplitter,
  type ThinkingSplit,
  type ThinkingTagSplitter,
} from './thinkingTagSplitter.ts';
import { createToolCallTracker, type ToolCallTracker } from './toolCallTracker.ts';
import { resolveStopReason, resolveUsage, type TurnOutput, type TurnReport } from './turnEnd.ts';
import type { TurnEvent } from './turnEvents.ts';

export interface TurnAssemblerOptions {
  /**
   * Thinking tags were injected into the request: `<thinking>…</thinking>` in the answer becomes thinking.
   * Without them a model may still open its answer with such a block (it imitates earlier turns); that block is
   * dropped, never shown as literal tags to a client that asked for no thinking.
   */
  thinking: boolean;
  restoreToolName(upstreamName: string): string;
  /** The request's input as reported everywhere (the calibrated estimate). */
  estimatedInputTokens: number;
  /** Tokens; contextUsagePercentage × window / 100 = input tokens. */
  contextWindow: number;
}

export interface TurnAssembler {
  push(event: KiroEvent): TurnEvent[];
  /** Ends the turn: the returned events end with exactly one `end`. Throws if the stream was cut short. */
  finish(): TurnEvent[];
  /** Whether any text, thinking or tool event has been emitted yet. */
  readonly producedOutput: boolean;
}

export function createTurnAssembler(options: TurnAssemblerOptions): TurnAssembler {
  return new KiroTurnAssembler(options);
}

class KiroTurnAssembler implements TurnAssembler {
  readonly #options: TurnAssemblerOptions;
  readonly #splitter: ThinkingTagSplitter;
  readonly #tools: ToolCallTracker;
  readonly #report: TurnReport = {};
  /** Text and thinking written so far, for the output estimate. */
  readonly #written: string[] = [];
  #producedText = false;
  #producedAny = false;
  /** Native reasoning signature fragments, joined and sent when the reasoning block is over. */
  #pendingSignature = '';

  constructor(options: TurnAssemblerOptions) {
    this.#options = options;
    this.#splitter = createThinkingTagSplitter();
    this.#tools = createToolCallTracker((name) => options.restoreToolName(name));
  }

  get producedOutput(): boolean {
    return this.#producedAny;
  }

  push(event: KiroEvent): TurnEvent[] {
    return this.#track(this.#dispatch(event));
  }

  finish(): TurnEvent[] {
    const open = this.#tools.openCallName;
    if (open !== undefined) {
      throw new UpstreamError('stream_truncated', `Kiro ended the stream inside a tool call (${open})`);
    }
    const events = this.#track(this.#endText());
    if (!this.#producedAny) {
      throw new UpstreamError('stream_truncated', 'Kiro ended the stream without an answer');
    }
    const output: TurnOutput = {
      completedToolCalls: this.#tools.completedCount,
      onlyThinking: !this.#producedText && this.#tools.completedCount === 0,
      text: this.#written.join('') + this.#tools.inputText,
    };
    // A client shown thinking but no answer would wait for text that never comes.
    if (output.onlyThinking) events.push({ type: 'text_delta', text: ' ' });
    const usage = resolveUsage(this.#report, output, this.#options);
    events.push({ type: 'end', stopReason: resolveStopReason(this.#report, output), usage });
    return events;
  }

  #dispatch(event: KiroEvent): TurnEvent[] {
    switch (event.type) {
      case 'assistantResponse':
        return this.#answer(event.content);
      case 'reasoningContent':
        return this.#reasoning(event);
      case 'toolUse':
        return this.#tools.push(event, () => this.#endText());
      case 'exception':
        throw exceptionError(event);
      case 'metering':
        // Each meteringEvent is what one part of the turn cost (docs/usage-figures.md): the turn costs their sum.
        this.#report.credits = (this.#report.credits ?? 0) + event.usage;
        return [];
      case 'contextUsage':
        this.#report.contextUsagePercentage = event.contextUsagePercentage;
        return [];
      case 'metadata':
        if (event.tokenUsage) {
          this.#report.tokenUsage = mergeTokenUsage(this.#report.tokenUsage, event.tokenUsage);
        }
        if (event.stopReason) this.#report.stopReason = event.stopReason;
        return [];
      case 'unknown':
        return [];
    }
  }

  #answer(content: string): TurnEvent[] {
    const closed = [...this.#tools.closeOpen(), ...this.#endReasoning()];
    const text = this.#fromSplits(this.#splitter.push(content));
    return [...closed, ...text];
  }

  #reasoning(event: Extract<KiroEvent, { type: 'reasoningContent' }>): TurnEvent[] {
    const events = [...this.#tools.closeOpen()];
    if (event.redactedContent !== undefined && event.redactedContent !== '') {
      // Encrypted reasoning is a block of its own; a signed block before it is over.
      events.push(...this.#endReasoning(), { type: 'redacted_thinking', data: event.redactedContent });
    }
    events.push(...this.#thinking(event.text ?? ''));
    this.#pendingSignature += event.signature ?? '';
    return events;
  }

  /** Text is over when a tool call starts or the stream ends: resolve what is still held back. */
  #endText(): TurnEvent[] {
    const held = this.#fromSplits(this.#splitter.flush());
    return [...this.#endReasoning(), ...held];
  }

  #endReasoning(): TurnEvent[] {
    if (this.#pendingSignature === '') return [];
    const signature = this.#pendingSignature;
    this.#pendingSignature = '';
    return [{ type: 'thinking_signature', signature }];
  }

  #fromSplits(splits: ThinkingSplit[]): TurnEvent[] {
    return splits.flatMap((split) => {
      if (split.kind === 'text') return this.#text(split.text);
      return this.#options.thinking ? this.#thinking(split.text) : [];
    });
  }

  #text(text: string): TurnEvent[] {
    if (text.length === 0) return [];
    this.#producedText = true;
    this.#written.push(text);
    return [{ type: 'text_delta', text }];
  }

  #thinking(text: string): TurnEvent[] {
    if (text.length === 0) return [];
    this.#written.push(text);
    return [{ type: 'thinking_delta', text }];
  }

  #track(events: TurnEvent[]): TurnEvent[] {
    if (events.length > 0) this.#producedAny = true;
    return events;
  }
}

function exceptionError(event: Extract<KiroEvent, { type: 'exception' }>): UpstreamError {
  return classifyStreamException(event.exceptionType, event.message, event.reason);
}

function mergeTokenUsage(previous: KiroTokenUsage | undefined, next: KiroTokenUsage): KiroTokenUsage {
  const merged: KiroTokenUsage = { ...previous };
  for (const [key, value] of Object.entries(next) as [keyof KiroTokenUsage, number | undefined][]) {
    if (typeof value === 'number') merged[key] = value;
  }
  return merged;
}
