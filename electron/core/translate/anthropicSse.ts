/**
 * Renders turn events as Anthropic Messages SSE, in the strict order the SDKs enforce: message_start, then per
 * content block start / delta* / stop with increasing indexes, then message_delta and message_stop.
 *
 * The real token counts are only known at the end, so message_delta repeats input_tokens: the SDKs take it
 * from there, which is how Claude Code learns the size of its context.
 */
import { anthropicUsage } from './anthropicMessage.ts';
import { redactedThinkingBlock, serverToolUseBlock, webSearchResultBlock } from './webSearchBlocks.ts';
import type { TurnEvent } from './turnEvents.ts';

export interface AnthropicSseOptions {
  messageId: string;
  model: string;
  /** The local estimate; the real count follows in message_delta. */
  inputTokens: number;
}

export interface AnthropicSseWriter {
  /** `event: message_start`. */
  start(): string;
  /** Zero or more complete SSE events for one turn event. */
  write(event: TurnEvent): string;
  ping(): string;
  /** `event: error`; the stream ends after it (no message_stop). */
  error(error: { type: string; message: string }): string;
}

export function createAnthropicSseWriter(o: AnthropicSseOptions): AnthropicSseWriter {
  return new BlockSseWriter(o);
}

/** A thinking block collects its signature: the SDKs keep only the last signature_delta, so it goes out whole. */
type OpenBlock =
  | { kind: 'thinking'; signature: string }
  | { kind: 'text' }
  | { kind: 'tool'; id: string }
  /** Server tool use, search results, redacted thinking: opened and closed in one go. */
  | { kind: 'whole' };

class BlockSseWriter implements AnthropicSseWriter {
  readonly #o: AnthropicSseOptions;
  #index = -1;
  #open: OpenBlock | undefined;

  constructor(o: AnthropicSseOptions) {
    this.#o = o;
  }

  start(): string {
    const { messageId, model, inputTokens } = this.#o;
    return sse('message_start', {
      type: 'message_start',
      message: {
        id: messageId,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: 0 },
      },
    });
  }

  write(event: TurnEvent): string {
    switch (event.type) {
      case 'thinking_delta':
        if (event.text === '') return '';
        return this.#thinkingBlock() + this.#delta({ type: 'thinking_delta', thinking: event.text });
      case 'thinking_signature': {
        const out = this.#thinkingBlock();
        if (this.#open?.kind === 'thinking') this.#open.signature += event.signature;
        return out;
      }
      case 'text_delta':
        if (event.text === '') return '';
        return this.#textBlock() + this.#delta({ type: 'text_delta', text: event.text });
      case 'tool_start':
        return this.#startBlock(
          { kind: 'tool', id: event.id },
          { ...EMPTY_TOOL_USE, id: event.id, name: event.name },
        );
      case 'tool_input_delta':
        if (!this.#isOpenTool(event.id)) return '';
        return this.#delta({ type: 'input_json_delta', partial_json: event.partialJson });
      case 'tool_stop':
        return this.#isOpenTool(event.id) ? this.#closeBlock() : '';
      case 'redacted_thinking':
        return this.#wholeBlock(redactedThinkingBlock(event));
      case 'server_tool_use':
        // As the Anthropic API streams it: an empty input in the start, the whole input as one JSON delta.
        return (
          this.#startBlock({ kind: 'whole' }, { ...serverToolUseBlock(event), input: {} }) +
          this.#delta({ type: 'input_json_delta', partial_json: JSON.stringify(event.input) }) +
          this.#closeBlock()
        );
      case 'web_search_result':
        return this.#wholeBlock(webSearchResultBlock(event));
      case 'end':
        return this.#closeBlock() + messageEnd(event);
    }
  }

  ping(): string {
    return sse('ping', { type: 'ping' });
  }

  error(error: { type: string; message: string }): string {
    return sse('error', { type: 'error', error: { type: error.type, message: error.message } });
  }

  /** A block whose content is complete at its start (redacted thinking, search results). */
  #wholeBlock(contentBlock: object): string {
    return this.#startBlock({ kind: 'whole' }, contentBlock) + this.#closeBlock();
  }

  #thinkingBlock(): string {
    if (this.#open?.kind === 'thinking') return '';
    return this.#startBlock({ kind: 'thinking', signature: '' }, EMPTY_THINKING);
  }

  #textBlock(): string {
    return this.#open?.kind === 'text' ? '' : this.#startBlock({ kind: 'text' }, EMPTY_TEXT);
  }

  #isOpenTool(id: string): boolean {
    return this.#open?.kind === 'tool' && this.#open.id === id;
  }

  #startBlock(block: OpenBlock, contentBlock: object): string {
    const closed = this.#closeBlock();
    this.#index++;
    this.#open = block;
    const start = { type: 'content_block_start', index: this.#index, content_block: contentBlock };
    return closed + sse('content_block_start', start);
  }

  #closeBlock(): string {
    const block = this.#open;
    if (!block) return '';
    this.#open = undefined;
    const signature =
      block.kind === 'thinking' && block.signature !== ''
        ? this.#delta({ type: 'signature_delta', signature: block.signature })
        : '';
    return signature + sse('content_block_stop', { type: 'content_block_stop', index: this.#index });
  }

  #delta(delta: object): string {
    return sse('content_block_delta', { type: 'content_block_delta', index: this.#index, delta });
  }
}

function messageEnd(end: Extract<TurnEvent, { type: 'end' }>): string {
  const delta = {
    type: 'message_delta',
    delta: { stop_reason: end.stopReason, stop_sequence: null },
    usage: anthropicUsage(end.usage),
  };
  return sse('message_delta', delta) + sse('message_stop', { type: 'message_stop' });
}

const EMPTY_THINKING = { type: 'thinking', thinking: '', signature: '' };
const EMPTY_TEXT = { type: 'text', text: '' };
const EMPTY_TOOL_USE = { type: 'tool_use', id: '', name: '', input: {} };

function sse(event: string, data: object): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
