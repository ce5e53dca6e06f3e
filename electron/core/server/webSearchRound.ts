/**
 * One round of a web search turn: the model's output passes on to the client except its calls of the search
 * function, which are held back to be run by Kiro Dock, and the round's end, which the loop decides on.
 */
import type { AnthropicContentBlock } from '../translate/anthropicRequest.ts';
import { buildAnthropicMessage } from '../translate/anthropicMessage.ts';
import type { TurnEvent } from '../translate/turnEvents.ts';
import { WEB_SEARCH_FUNCTION } from '../translate/webSearchTool.ts';

export interface SearchCall {
  /** The model's tool call id, which the tool result answers in the next round. */
  toolUseId: string;
  query: string;
  inputValid: boolean;
}

export interface SearchRound {
  /** Splits a batch of output into what the client gets now; search calls and the end are kept. */
  take(events: readonly TurnEvent[]): TurnEvent[];
  readonly calls: SearchCall[];
  readonly end: Extract<TurnEvent, { type: 'end' }> | undefined;
  /** Whether the model also called a tool of the client's (the client must run it: the turn ends). */
  readonly calledClientTools: boolean;
  /** What the model wrote this round, as assistant content for the next round's history. */
  assistantBlocks(): AnthropicContentBlock[];
}

export function createSearchRound(): SearchRound {
  const calls: SearchCall[] = [];
  const written: TurnEvent[] = [];
  const inputs = new Map<string, string>();
  let end: Extract<TurnEvent, { type: 'end' }> | undefined;
  let calledClientTools = false;
  return {
    take(events) {
      const passed: TurnEvent[] = [];
      for (const event of events) {
        if (event.type === 'end') end = event;
        else if (event.type === 'tool_start' && event.name === WEB_SEARCH_FUNCTION) inputs.set(event.id, '');
        else if (event.type === 'tool_input_delta' && inputs.has(event.id)) {
          inputs.set(event.id, inputs.get(event.id)! + event.partialJson);
        } else if (event.type === 'tool_stop' && inputs.has(event.id)) {
          calls.push(searchCall(event.id, inputs.get(event.id)!));
        } else {
          if (event.type === 'tool_start') calledClientTools = true;
          passed.push(event);
        }
      }
      written.push(...passed);
      return passed;
    },
    calls,
    get end() {
      return end;
    },
    get calledClientTools() {
      return calledClientTools;
    },
    assistantBlocks() {
      const usage = { inputTokens: 0, outputTokens: 0 };
      const message = buildAnthropicMessage([...written, { type: 'end', stopReason: 'end_turn', usage }], {
        messageId: '',
        model: '',
      });
      const blocks = message.content as AnthropicContentBlock[];
      return [
        ...blocks.filter(
          (block) => block.type !== 'server_tool_use' && block.type !== 'web_search_tool_result',
        ),
        ...calls.map((call) => ({
          type: 'tool_use' as const,
          id: call.toolUseId,
          name: WEB_SEARCH_FUNCTION,
          input: { query: call.query },
        })),
      ];
    },
  };
}

function searchCall(toolUseId: string, json: string): SearchCall {
  try {
    const input = JSON.parse(json || '{}') as { query?: unknown };
    if (typeof input.query === 'string') return { toolUseId, query: input.query, inputValid: true };
  } catch {
    // An unreadable call is answered with invalid_tool_input below.
  }
  return { toolUseId, query: '', inputValid: false };
}
