/**
 * Renders turn events as the Responses API's SSE (`event: <type>` + `data: <json>`), numbered by
 * `sequence_number`: response.created and .in_progress, then per output item `output_item.added`, its parts and
 * deltas and `output_item.done`, then response.completed (or .incomplete). Thinking becomes a reasoning item with
 * a summary, text a message with one output_text part, each tool call a function_call item. The same machine
 * builds the non-streaming answer, so the two can never disagree.
 */
import type { ClientFunctionName } from './responsesTools.ts';
import { clientFunctionName } from './responsesTools.ts';
import {
  responsesObject,
  responsesStatusOf,
  responsesUsage,
  type ResponsesEcho,
  type ResponsesObject,
  type ResponsesOutputItem,
  type ResponsesStatus,
  type ResponsesUsage,
} from './responsesObject.ts';
import type { TurnEvent } from './turnEvents.ts';

export interface ResponsesStreamOptions extends ResponsesEcho {
  /** Flattened namespace tool names → the client's `{namespace, name}`. */
  namespaced?: Record<string, ClientFunctionName>;
}

export interface ResponsesStreamWriter {
  /** response.created and response.in_progress. */
  start(): string;
  write(event: TurnEvent): string;
  /** An `error` event, then response.failed with the partial output. */
  fail(error: { message: string; code?: string }): string;
  /** The response as it stands (complete once the `end` event was written). */
  response(): ResponsesObject;
}

type Open = { kind: 'message' | 'reasoning'; index: number } | undefined;

export function createResponsesStreamWriter(options: ResponsesStreamOptions): ResponsesStreamWriter {
  return new ResponsesWriter(options);
}

/** The non-streaming answer: the same events through the same machine, keeping only the final response. */
export function buildResponsesResponse(
  events: TurnEvent[],
  options: ResponsesStreamOptions,
): ResponsesObject {
  const writer = new ResponsesWriter(options);
  for (const event of events) writer.write(event);
  const response = writer.response();
  if (response.status === 'in_progress')
    throw new Error('buildResponsesResponse needs a finished turn (no end event)');
  return response;
}

class ResponsesWriter implements ResponsesStreamWriter {
  readonly #o: ResponsesStreamOptions;
  readonly #output: ResponsesOutputItem[] = [];
  readonly #tools = new Map<string, number>();
  #sequence = 0;
  #open: Open;
  #thinking = '';
  #status: ResponsesStatus = 'in_progress';
  #usage: ResponsesUsage | undefined;

  constructor(options: ResponsesStreamOptions) {
    this.#o = options;
  }

  start(): string {
    const response = this.response();
    return this.#emit('response.created', { response }) + this.#emit('response.in_progress', { response });
  }

  response(): ResponsesObject {
    return responsesObject(this.#o, {
      status: this.#status,
      output: structuredClone(this.#output),
      usage: this.#usage,
    });
  }

  fail(error: { message: string; code?: string }): string {
    this.#status = 'failed';
    const code = error.code ?? 'server_error';
    const failed = { ...this.response(), error: { code, message: error.message } };
    return (
      this.#emit('error', { code, message: error.message, param: null }) +
      this.#emit('response.failed', { response: failed })
    );
  }

  write(event: TurnEvent): string {
    switch (event.type) {
      case 'thinking_delta':
        return event.text === '' ? '' : this.#reasoningDelta(event.text);
      case 'thinking_signature':
        return this.#signature(event.signature);
      case 'text_delta':
        return event.text === '' ? '' : this.#textDelta(event.text);
      case 'tool_start':
        return this.#closeOpen() + this.#toolStart(event.id, event.name);
      case 'tool_input_delta':
        return this.#toolDelta(event.id, event.partialJson);
      case 'tool_stop':
        return this.#toolStop(event.id);
      case 'server_tool_use':
        return this.#closeOpen() + this.#webSearchCall(event.id, event.input.query);
      case 'redacted_thinking':
      case 'web_search_result':
        return '';
      case 'end':
        return this.#closeOpen() + this.#end(event);
    }
  }

  #reasoningDelta(text: string): string {
    let out = '';
    if (this.#open?.kind !== 'reasoning') {
      out += this.#closeOpen();
      const [index, added] = this.#add({ type: 'reasoning', id: this.#itemId('rs'), summary: [] });
      out += added;
      this.#open = { kind: 'reasoning', index };
      const part = { type: 'summary_text' as const, text: '' };
      this.#reasoning(index).summary.push({ ...part });
      out += this.#emit('response.reasoning_summary_part.added', {
        ...this.#at(index),
        summary_index: 0,
        part,
      });
    }
    const index = this.#open.index;
    this.#reasoning(index).summary[0]!.text += text;
    this.#thinking += text;
    return (
      out +
      this.#emit('response.reasoning_summary_text.delta', {
        ...this.#at(index),
        summary_index: 0,
        delta: text,
      })
    );
  }

  /** Native reasoning's signature, carried as the item's opaque encrypted_content for the client to send back. */
  #signature(signature: string): string {
    const index = this.#output.findLastIndex((item) => item.type === 'reasoning');
    if (index >= 0) this.#reasoning(index).encrypted_content = signature;
    return '';
  }

  #textDelta(text: string): string {
    let out = '';
    if (this.#open?.kind !== 'message') {
      out += this.#closeOpen();
      const id = this.#itemId('msg');
      const [index, added] = this.#add({
        type: 'message',
        id,
        status: 'in_progress',
        role: 'assistant',
        content: [],
      });
      out += added;
      this.#open = { kind: 'message', index };
      const part = { type: 'output_text' as const, text: '', annotations: [] as [], logprobs: [] as [] };
      this.#message(index).content.push({ ...part });
      out += this.#emit('response.content_part.added', { ...this.#at(index), content_index: 0, part });
    }
    const index = this.#open.index;
    this.#message(index).content[0]!.text += text;
    return (
      out +
      this.#emit('response.output_text.delta', {
        ...this.#at(index),
        content_index: 0,
        delta: text,
        logprobs: [],
      })
    );
  }

  #toolStart(callId: string, flatName: string): string {
    const { name, namespace } = clientFunctionName(flatName, this.#o.namespaced ?? {});
    const [index, added] = this.#add({
      type: 'function_call',
      id: this.#itemId('fc'),
      status: 'in_progress',
      call_id: callId,
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      arguments: '',
    });
    this.#tools.set(callId, index);
    return added;
  }

  #toolDelta(callId: string, partialJson: string): string {
    const index = this.#tools.get(callId);
    const item = index === undefined ? undefined : this.#output[index];
    if (item?.type !== 'function_call' || partialJson === '') return '';
    item.arguments += partialJson;
    return this.#emit('response.function_call_arguments.delta', { ...this.#at(index!), delta: partialJson });
  }

  #toolStop(callId: string): string {
    const index = this.#tools.get(callId);
    const item = index === undefined ? undefined : this.#output[index];
    if (item?.type !== 'function_call' || item.status !== 'in_progress') return '';
    const done = this.#emit('response.function_call_arguments.done', {
      ...this.#at(index!),
      name: item.name,
      arguments: item.arguments,
    });
    item.status = 'completed';
    return (
      done + this.#emit('response.output_item.done', { output_index: index, item: structuredClone(item) })
    );
  }

  /** A finished search as the Responses API streams one: added, in_progress, searching, completed, done. */
  #webSearchCall(callId: string, query: string): string {
    const id = `ws_${callId.replace(/^srvtoolu_/, '')}`;
    const [index, added] = this.#add({
      type: 'web_search_call',
      id,
      status: 'in_progress',
      action: { type: 'search', query },
    });
    const at = this.#at(index);
    const progress = ['in_progress', 'searching', 'completed']
      .map((phase) => this.#emit(`response.web_search_call.${phase}`, at))
      .join('');
    const item = this.#output[index]!;
    if (item.type === 'web_search_call') item.status = 'completed';
    return (
      added +
      progress +
      this.#emit('response.output_item.done', { output_index: index, item: structuredClone(item) })
    );
  }

  #end(event: Extract<TurnEvent, { type: 'end' }>): string {
    this.#status = responsesStatusOf(event.stopReason);
    this.#usage = responsesUsage(event.usage, this.#thinking);
    const type = this.#status === 'completed' ? 'response.completed' : 'response.incomplete';
    return this.#emit(type, { response: this.response() });
  }

  /** Ends the message or reasoning item being written: its `.done` events, then output_item.done. */
  #closeOpen(): string {
    const open = this.#open;
    if (open === undefined) return '';
    this.#open = undefined;
    const at = this.#at(open.index);
    let out: string;
    if (open.kind === 'message') {
      const message = this.#message(open.index);
      const part = message.content[0]!;
      out =
        this.#emit('response.output_text.done', { ...at, content_index: 0, text: part.text, logprobs: [] }) +
        this.#emit('response.content_part.done', { ...at, content_index: 0, part: { ...part } });
      message.status = 'completed';
    } else {
      const part = this.#reasoning(open.index).summary[0]!;
      out =
        this.#emit('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: part.text }) +
        this.#emit('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: { ...part } });
    }
    return (
      out +
      this.#emit('response.output_item.done', {
        output_index: open.index,
        item: structuredClone(this.#output[open.index]),
      })
    );
  }

  /** Adds an output item: its index and its `output_item.added` event. */
  #add(item: ResponsesOutputItem): [number, string] {
    this.#output.push(item);
    const index = this.#output.length - 1;
    return [
      index,
      this.#emit('response.output_item.added', { output_index: index, item: structuredClone(item) }),
    ];
  }

  #emit(type: string, body: object): string {
    const json = JSON.stringify({ type, ...body, sequence_number: this.#sequence++ });
    return `event: ${type}\ndata: ${json}\n\n`;
  }

  #at(index: number): { item_id: string; output_index: number } {
    return { item_id: this.#output[index]!.id, output_index: index };
  }

  /** Item ids derive from the response id, so a stream and a JSON answer of the same turn name items alike. */
  #itemId(prefix: string): string {
    return `${prefix}_${this.#o.id.replace(/^resp_/, '')}_${this.#output.length}`;
  }

  #message(index: number): Extract<ResponsesOutputItem, { type: 'message' }> {
    return this.#output[index] as Extract<ResponsesOutputItem, { type: 'message' }>;
  }

  #reasoning(index: number): Extract<ResponsesOutputItem, { type: 'reasoning' }> {
    return this.#output[index] as Extract<ResponsesOutputItem, { type: 'reasoning' }>;
  }
}
