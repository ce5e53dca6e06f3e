/**
 * Kiro accepts a tool result only as the answer to a tool use of the immediately preceding assistant turn, and
 * a tool use only when its result follows (docs/upstream/request-rules.md rule 5). Clients break this when they edit or
 * truncate history, so mismatches are repaired here instead of failing: an orphan result becomes plain user
 * text, an unanswered tool use becomes a short note in the assistant text, and duplicates keep the first.
 */
import type { KiroToolUse } from '../kiro/kiroRequest.ts';
import type { AssistantTurn, ConversationTurn, ToolResultEntry, UserTurn } from './historyNormalizer.ts';

const EMPTY_TOOL_RESULT = '(empty result)';

/** Kiro rejects an empty tool result text. */
export function toolResultText(text: string): string {
  return /\S/.test(text) ? text : EMPTY_TOOL_RESULT;
}

/** Expects alternating turns; returns repaired copies and leaves the input untouched. */
export function pairToolCalls(turns: readonly ConversationTurn[]): ConversationTurn[] {
  const paired = turns.map(copyTurn);
  dropDuplicateToolUses(paired);
  paired.forEach((turn, index) => {
    if (turn.role !== 'user') return;
    const previous = paired[index - 1];
    answerToolUses(turn, previous?.role === 'assistant' ? previous : undefined);
  });
  return paired;
}

/** A result for an id already answered in an earlier turn is not an answer to the previous turn: it is orphan. */
function answerToolUses(turn: UserTurn, previous: AssistantTurn | undefined): void {
  const open = new Set(previous?.toolUses.map((toolUse) => toolUse.toolUseId));
  const seen = new Set<string>();
  const results: ToolResultEntry[] = [];
  const orphanTexts: string[] = [];
  for (const result of turn.toolResults) {
    if (seen.has(result.toolUseId)) continue;
    seen.add(result.toolUseId);
    if (open.has(result.toolUseId)) results.push(result);
    else orphanTexts.push(`[Tool result for ${result.toolUseId}]\n${toolResultText(result.text)}`);
  }
  turn.toolResults = results;
  turn.texts.unshift(...orphanTexts);
  if (previous === undefined) return;
  const unanswered = previous.toolUses.filter((toolUse) => !seen.has(toolUse.toolUseId));
  if (unanswered.length === 0) return;
  previous.toolUses = previous.toolUses.filter((toolUse) => seen.has(toolUse.toolUseId));
  for (const toolUse of unanswered) previous.texts.push(unansweredNote(toolUse));
}

/**
 * Kiro rejects a tool-use id seen twice. A repeat inside one turn is a copy and simply goes; a repeat in a later
 * turn was a separate call, so the model is told about it in text.
 */
function dropDuplicateToolUses(turns: ConversationTurn[]): void {
  const seen = new Set<string>();
  for (const turn of turns) {
    if (turn.role !== 'assistant') continue;
    const seenInTurn = new Set<string>();
    turn.toolUses = turn.toolUses.filter((toolUse) => {
      if (!seen.has(toolUse.toolUseId)) {
        seen.add(toolUse.toolUseId);
        seenInTurn.add(toolUse.toolUseId);
        return true;
      }
      if (!seenInTurn.has(toolUse.toolUseId)) turn.texts.push(unansweredNote(toolUse));
      return false;
    });
  }
}

function unansweredNote(toolUse: KiroToolUse): string {
  return `(Called tool ${toolUse.name}, id ${toolUse.toolUseId}; no result was returned.)`;
}

function copyTurn(turn: ConversationTurn): ConversationTurn {
  return turn.role === 'user'
    ? { ...turn, texts: [...turn.texts], images: [...turn.images], toolResults: [...turn.toolResults] }
    : { ...turn, texts: [...turn.texts], thinking: [...turn.thinking], toolUses: [...turn.toolUses] };
}
