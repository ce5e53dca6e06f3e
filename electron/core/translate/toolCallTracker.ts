/**
 * Tool-call bookkeeping for one turn (docs/upstream/event-stream.md §4): Kiro repeats `toolUseId` and `name` on every
 * fragment, sends calls one after another, sometimes repeats a finished call, and sometimes cuts a call off.
 * Fragments are passed on as they arrive; a call is checked only when it closes, so a client never receives a
 * tool call whose arguments are not a JSON object.
 */
import type { KiroEvent } from '../kiro/kiroEvents.ts';
import { UpstreamError } from '../kiro/upstreamError.ts';
import type { TurnEvent } from './turnEvents.ts';

type ToolUseEvent = Extract<KiroEvent, { type: 'toolUse' }>;

interface OpenCall {
  id: string;
  name: string;
  input: string;
}

export interface ToolCallTracker {
  /** Events for one toolUse frame; `beforeStart` runs before a new call opens (to flush pending text). */
  push(event: ToolUseEvent, beforeStart: () => TurnEvent[]): TurnEvent[];
  /** Closes the open call, if any (text after a call ends it just as a new call would). */
  closeOpen(): TurnEvent[];
  readonly openCallName: string | undefined;
  readonly completedCount: number;
  /** Arguments JSON of every call so far, for the output-token estimate. */
  readonly inputText: string;
}

export function createToolCallTracker(restoreToolName: (upstreamName: string) => string): ToolCallTracker {
  return new SequentialToolCalls(restoreToolName);
}

class SequentialToolCalls implements ToolCallTracker {
  readonly #restoreToolName: (upstreamName: string) => string;
  readonly #stopped = new Set<string>();
  readonly #inputs: string[] = [];
  #open: OpenCall | undefined;

  constructor(restoreToolName: (upstreamName: string) => string) {
    this.#restoreToolName = restoreToolName;
  }

  get openCallName(): string | undefined {
    return this.#open?.name;
  }

  get completedCount(): number {
    return this.#stopped.size;
  }

  get inputText(): string {
    return this.#inputs.join('') + (this.#open?.input ?? '');
  }

  push(event: ToolUseEvent, beforeStart: () => TurnEvent[]): TurnEvent[] {
    // A fragment without an id (e.g. a bare `{"stop":true}`) continues the open call.
    const id = event.toolUseId || this.#open?.id;
    if (id === undefined || this.#stopped.has(id)) return [];
    const events: TurnEvent[] = [];
    let call = this.#open;
    if (call?.id !== id) {
      events.push(...this.closeOpen(), ...beforeStart());
      call = this.#open = { id, name: this.#restoreToolName(event.name), input: '' };
      events.push({ type: 'tool_start', id, name: call.name });
    }
    if (event.input.length > 0) {
      call.input += event.input;
      events.push({ type: 'tool_input_delta', id, partialJson: event.input });
    }
    if (event.stop) events.push(...this.closeOpen());
    return events;
  }

  closeOpen(): TurnEvent[] {
    const call = this.#open;
    if (!call) return [];
    this.#open = undefined;
    this.#stopped.add(call.id);
    const events: TurnEvent[] = [];
    if (call.input.trim() === '') {
      events.push({ type: 'tool_input_delta', id: call.id, partialJson: '{}' });
      call.input += '{}';
    }
    assertJsonObject(call);
    this.#inputs.push(call.input);
    events.push({ type: 'tool_stop', id: call.id });
    return events;
  }
}

function assertJsonObject(call: OpenCall): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.input);
  } catch {
    throw new UpstreamError(
      'stream_truncated',
      `Kiro cut off the arguments of tool call ${call.name} (${call.id}): ${call.input.length} characters of incomplete JSON`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UpstreamError(
      'stream_truncated',
      `Kiro sent arguments for tool call ${call.name} that are not a JSON object`,
    );
  }
}
