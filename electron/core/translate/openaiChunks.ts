/**
 * Renders turn events as OpenAI `chat.completion.chunk` SSE (`data: <json>\n\n`). Tool calls are numbered in
 * the order they start, as `delta.tool_calls[].index` requires; usage comes last in its own chunk with no
 * choices, as `stream_options.include_usage` specifies.
 */
import {
  openaiFinishReason,
  openaiUsage,
  type OpenAIFinishReason,
  type OpenAIUsage,
} from './openaiCompletion.ts';
import type { TurnEvent } from './turnEvents.ts';

export interface OpenAIChunkDelta {
  role?: 'assistant';
  content?: string;
  reasoning_content?: string;
  tool_calls?: {
    index: number;
    id?: string;
    type?: 'function';
    function: { name?: string; arguments: string };
  }[];
}

export interface OpenAIChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: { index: 0; delta: OpenAIChunkDelta; finish_reason: OpenAIFinishReason | null }[];
  usage?: OpenAIUsage;
}

export interface OpenAIChunkWriter {
  write(event: TurnEvent): string;
  error(error: { type: string; message: string }): string;
  /** `data: [DONE]\n\n`. */
  done(): string;
}

export interface OpenAIChunkOptions {
  id: string;
  model: string;
  created: number;
  /** `stream_options.include_usage`: end with a usage chunk. */
  includeUsage: boolean;
}

export function createOpenAIChunkWriter(o: OpenAIChunkOptions): OpenAIChunkWriter {
  return new ChunkWriter(o);
}

class ChunkWriter implements OpenAIChunkWriter {
  readonly #o: OpenAIChunkOptions;
  readonly #toolIndexes = new Map<string, number>();
  #started = false;

  constructor(o: OpenAIChunkOptions) {
    this.#o = o;
  }

  write(event: TurnEvent): string {
    const out = this.#render(event);
    if (this.#started || out === '') return out;
    this.#started = true;
    return this.#chunk({ role: 'assistant', content: '' }) + out;
  }

  error(error: { type: string; message: string }): string {
    return data({ error: { message: error.message, type: error.type, code: null } });
  }

  done(): string {
    return 'data: [DONE]\n\n';
  }

  #render(event: TurnEvent): string {
    switch (event.type) {
      case 'text_delta':
        return event.text === '' ? '' : this.#chunk({ content: event.text });
      case 'thinking_delta':
        return event.text === '' ? '' : this.#chunk({ reasoning_content: event.text });
      case 'tool_start': {
        const index = this.#toolIndexes.size;
        this.#toolIndexes.set(event.id, index);
        const fn = { name: event.name, arguments: '' };
        return this.#chunk({ tool_calls: [{ index, id: event.id, type: 'function', function: fn }] });
      }
      case 'tool_input_delta': {
        const index = this.#toolIndexes.get(event.id);
        if (index === undefined) return '';
        return this.#chunk({ tool_calls: [{ index, function: { arguments: event.partialJson } }] });
      }
      // Chat Completions has no search blocks: the answer's text carries what the search found.
      case 'thinking_signature':
      case 'redacted_thinking':
      case 'tool_stop':
      case 'server_tool_use':
      case 'web_search_result':
        return '';
      case 'end': {
        const finish = this.#chunk({}, openaiFinishReason(event.stopReason));
        if (!this.#o.includeUsage) return finish;
        return finish + data({ ...envelope(this.#o), choices: [], usage: openaiUsage(event.usage) });
      }
    }
  }

  #chunk(delta: OpenAIChunkDelta, finishReason: OpenAIFinishReason | null = null): string {
    return data({ ...envelope(this.#o), choices: [{ index: 0, delta, finish_reason: finishReason }] });
  }
}

function envelope(o: OpenAIChunkOptions): Omit<OpenAIChatCompletionChunk, 'choices' | 'usage'> {
  return { id: o.id, object: 'chat.completion.chunk', created: o.created, model: o.model };
}

function data(body: OpenAIChatCompletionChunk | { error: object }): string {
  return `data: ${JSON.stringify(body)}\n\n`;
}
