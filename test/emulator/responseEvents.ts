/**
 * The event sequence of a healthy answer (docs/upstream/event-stream.md §4): text deltas, tool calls as start / input
 * fragments / stop, then meteringEvent, contextUsageEvent and, when asked, metadataEvent.
 */
import type { Scenario } from './scenario.ts';

export type EventRole = 'reasoning' | 'text' | 'toolStart' | 'toolInput' | 'toolStop' | 'trailer';

export interface WireEvent {
  eventType: string;
  payload: Record<string, unknown>;
  /** Where the event sits in the answer, so faults can cut or corrupt at a meaningful place. */
  role: EventRole;
}

/** Characters of tool-input JSON per fragment, roughly what the upstream streams at a time. */
const TOOL_FRAGMENT_CHARS = 40;
const MIN_TOOL_FRAGMENTS = 3;

export function scenarioEvents(scenario: Scenario): WireEvent[] {
  const events: WireEvent[] = [];
  const pushText = (piece: string) =>
    events.push({ eventType: 'assistantResponseEvent', payload: { content: piece }, role: 'text' });
  if (scenario.reasoning) events.push(...reasoningEvents(scenario.reasoning, scenario.chunkCount));
  if (scenario.thinking) splitText(scenario.thinking, Math.ceil(scenario.chunkCount / 3)).forEach(pushText);
  splitText(scenario.text, scenario.chunkCount).forEach(pushText);
  for (const call of scenario.toolCalls) {
    const ids = { toolUseId: call.toolUseId, name: call.name };
    events.push({ eventType: 'toolUseEvent', payload: { ...ids, input: '' }, role: 'toolStart' });
    for (const fragment of splitToolInput(JSON.stringify(call.input))) {
      events.push({ eventType: 'toolUseEvent', payload: { ...ids, input: fragment }, role: 'toolInput' });
    }
    events.push({ eventType: 'toolUseEvent', payload: { ...ids, stop: true }, role: 'toolStop' });
  }
  events.push(
    { eventType: 'meteringEvent', payload: { usage: scenario.credits, unit: 'credit' }, role: 'trailer' },
    {
      eventType: 'contextUsageEvent',
      payload: { contextUsagePercentage: scenario.contextUsagePercentage },
      role: 'trailer',
    },
  );
  if (scenario.tokenUsage) {
    events.push({
      eventType: 'metadataEvent',
      payload: { tokenUsage: scenario.tokenUsage },
      role: 'trailer',
    });
  }
  return events;
}

/** Redacted reasoning first when asked for, then the text in pieces and the signature in two fragments. */
function reasoningEvents(reasoning: NonNullable<Scenario['reasoning']>, chunkCount: number): WireEvent[] {
  const event = (payload: Record<string, unknown>): WireEvent => ({
    eventType: 'reasoningContentEvent',
    payload,
    role: 'reasoning',
  });
  const half = Math.ceil(reasoning.signature.length / 2);
  return [
    ...(reasoning.redacted ? [event({ redactedContent: reasoning.redacted })] : []),
    ...splitText(reasoning.text, Math.ceil(chunkCount / 3)).map((text) => event({ text })),
    event({ signature: reasoning.signature.slice(0, half) }),
    event({ signature: reasoning.signature.slice(half) }),
  ];
}

/**
 * Splits text into about `count` non-empty pieces of near-equal length. Pieces end on code-point boundaries:
 * each one travels as a JSON string, where half a surrogate pair would not survive.
 */
export function splitText(text: string, count: number): string[] {
  const codePoints = Array.from(text);
  const pieces = Math.max(1, Math.min(count, codePoints.length));
  const result: string[] = [];
  for (let i = 0; i < pieces; i++) {
    const start = Math.floor((i * codePoints.length) / pieces);
    const end = Math.floor(((i + 1) * codePoints.length) / pieces);
    result.push(codePoints.slice(start, end).join(''));
  }
  return result.filter((piece) => piece.length > 0);
}

function splitToolInput(json: string): string[] {
  return splitText(json, Math.max(MIN_TOOL_FRAGMENTS, Math.ceil(json.length / TOOL_FRAGMENT_CHARS)));
}
