/**
 * Native reasoning (docs/native-reasoning.md): for models whose ListAvailableModels entry advertises
 * `additionalModelRequestFieldsSchema`, Anthropic `thinking` is sent as Kiro's own fields instead of prompt tags,
 * `{thinking: {type: "adaptive"}, output_config: {effort}}` at the body's root. Kiro takes `adaptive` or
 * `disabled` only, so `enabled` + a budget becomes `adaptive` with the effort nearest to that budget.
 */
import type { KiroConversationRequest } from '../kiro/kiroRequest.ts';
import type { ReasoningSupport } from '../kiro/modelReasoning.ts';
import type { AnthropicRequest } from './anthropicRequest.ts';

/** What a Kiro model entry says of native reasoning; read from its schema in `kiro/`. */
export { reasoningSupportFromSchema, type ReasoningSupport } from '../kiro/modelReasoning.ts';

/** Whether (and how) a Kiro model takes native reasoning fields; undefined: it does not. */
export type ReasoningLookup = (modelId: string) => ReasoningSupport | undefined;

export interface KiroReasoningFields {
  thinking: { type: 'adaptive' };
  output_config: { effort: string };
}

const EFFORT_ORDER = ['minimal', 'low', 'medium', 'high', 'xhigh', 'max'];
const CLAUDE_EFFORTS = ['low', 'medium', 'high', 'max'] as const;
/** Budget ceilings → effort, the steps peers settled on for Kiro (docs/native-reasoning.md). */
const BUDGET_STEPS: ReadonlyArray<readonly [number, string]> = [
  [4_000, 'low'],
  [10_000, 'medium'],
  [24_000, 'high'],
  [48_000, 'xhigh'],
];

/**
 * Without a catalogue entry to go by (no account yet, or Kiro's list failed): Claude models from 4.6 on take the
 * fields, 4.5 and older reject them.
 */
export const builtInReasoningSupport: ReasoningLookup = (modelId) => {
  const match = /^claude-(?:opus|sonnet|haiku)-(\d+)(?:\.(\d+))?$/.exec(modelId);
  if (!match) return undefined;
  const version = Number(match[1]) + Number(match[2] ?? 0) / 10;
  return version >= 4.6 ? { efforts: CLAUDE_EFFORTS, defaultEffort: 'high' } : undefined;
};

/** The native fields for this request, or undefined when it asked for no thinking. */
export function nativeReasoningFields(
  request: Pick<AnthropicRequest, 'thinking' | 'output_config'>,
  support: ReasoningSupport,
): KiroReasoningFields | undefined {
  const thinking = request.thinking;
  if (thinking?.type !== 'enabled' && thinking?.type !== 'adaptive') return undefined;
  const requested =
    request.output_config?.effort ??
    (thinking.type === 'enabled' && thinking.budget_tokens !== undefined
      ? effortForBudget(thinking.budget_tokens)
      : undefined);
  const effort = closestEffort(requested ?? support.defaultEffort ?? 'high', support.efforts);
  return { thinking: { type: 'adaptive' }, output_config: { effort } };
}

export function effortForBudget(budgetTokens: number): string {
  return BUDGET_STEPS.find(([ceiling]) => budgetTokens <= ceiling)?.[1] ?? 'max';
}

/** The accepted effort nearest to the one asked for; on a tie the higher one ("xhigh" → "max"). */
export function closestEffort(requested: string, accepted: readonly string[]): string {
  if (accepted.length === 0 || accepted.includes(requested)) return requested;
  const target = EFFORT_ORDER.indexOf(requested);
  if (target === -1) return accepted.at(-1)!;
  let best = accepted[0]!;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const effort of accepted) {
    const position = EFFORT_ORDER.indexOf(effort);
    const distance = Math.abs(position - target);
    if (distance < bestDistance || (distance === bestDistance && position > EFFORT_ORDER.indexOf(best))) {
      best = effort;
      bestDistance = distance;
    }
  }
  return best;
}

/** The body without replayed reasoning: what is sent again when Kiro refused a signature in it. */
export function withoutReplayedReasoning(body: KiroConversationRequest): KiroConversationRequest {
  const history = body.conversationState.history?.map((entry) => {
    if (!('assistantResponseMessage' in entry) || !entry.assistantResponseMessage.reasoningContent)
      return entry;
    const { reasoningContent: _dropped, ...message } = entry.assistantResponseMessage;
    return { assistantResponseMessage: message };
  });
  return history ? { ...body, conversationState: { ...body.conversationState, history } } : body;
}

export function hasReplayedReasoning(body: KiroConversationRequest): boolean {
  return (body.conversationState.history ?? []).some(
    (entry) =>
      'assistantResponseMessage' in entry && entry.assistantResponseMessage.reasoningContent !== undefined,
  );
}
