/**
 * Kiro has no request field for extended thinking; the model turns it on when the prompt carries these tags
 * (docs/upstream/request-rules.md §3) and then writes `<thinking>…</thinking>` into its text, which the response side
 * splits back into thinking blocks.
 */
import type { AnthropicRequest } from './anthropicRequest.ts';

const MIN_THINKING_BUDGET = 1024;
const MAX_THINKING_BUDGET = 24_576;
const DEFAULT_THINKING_BUDGET = 20_000;
const EFFORTS = new Set(['low', 'medium', 'high', 'max']);
const DEFAULT_EFFORT = 'high';

/** The tags that enable thinking for this request, or undefined when the client did not ask for thinking. */
export function thinkingTags(
  request: Pick<AnthropicRequest, 'thinking' | 'output_config'>,
): string | undefined {
  const thinking = request.thinking;
  if (thinking?.type === 'enabled') {
    const budget = clamp(
      thinking.budget_tokens ?? DEFAULT_THINKING_BUDGET,
      MIN_THINKING_BUDGET,
      MAX_THINKING_BUDGET,
    );
    return `<thinking_mode>enabled</thinking_mode><max_thinking_length>${budget}</max_thinking_length>`;
  }
  if (thinking?.type === 'adaptive') {
    const requested = request.output_config?.effort;
    const effort = requested !== undefined && EFFORTS.has(requested) ? requested : DEFAULT_EFFORT;
    return `<thinking_mode>adaptive</thinking_mode><thinking_effort>${effort}</thinking_effort>`;
  }
  return undefined;
}

/** Earlier thinking replayed the way the model wrote it, so it keeps its reasoning across tool rounds. */
export function replayedThinking(thinking: readonly string[]): string {
  return thinking.length === 0 ? '' : `<thinking>${thinking.join('\n\n')}</thinking>\n\n`;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
