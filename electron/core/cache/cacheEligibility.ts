/**
 * Which requests the response cache may answer, and which answers it may keep. By default only answers that do
 * not depend on chance or on the caller's own tools:
 * - a request that declares tools is answered with tool calls the caller then runs, on its own files and
 *   state; an earlier answer to the same words says nothing about what the caller's world looks like now;
 * - a request sampled above temperature 0 asks for a fresh draw, which a replay would not be. A request that
 *   gives no temperature gets the API's default, 1 (Anthropic's and OpenAI's alike), so it is sampled too:
 *   only an explicit `temperature: 0` makes a request cacheable.
 * `includeToolsAndSampling` lets the user cache both anyway (replays then carry tool ids of their own).
 */
import type { AnthropicRequest } from '../translate/anthropicRequest.ts';
import type { TurnEvent } from '../translate/turnEvents.ts';

/** What both APIs use when a request gives no temperature. */
export const API_DEFAULT_TEMPERATURE = 1;

export type CacheBypassReason = 'tools' | 'sampling';

/** Why the cache must leave this request to Kiro, or undefined when it may answer it. */
export function cacheBypassReason(
  request: Pick<AnthropicRequest, 'tools' | 'temperature'>,
  includeToolsAndSampling: boolean,
): CacheBypassReason | undefined {
  if (includeToolsAndSampling) return undefined;
  if ((request.tools?.length ?? 0) > 0) return 'tools';
  if ((request.temperature ?? API_DEFAULT_TEMPERATURE) > 0) return 'sampling';
  return undefined;
}

/** Whether an answer calls a tool: such an answer is kept only when the user opted in. */
export function hasToolCall(events: readonly TurnEvent[]): boolean {
  return events.some((event) => event.type === 'tool_start');
}
