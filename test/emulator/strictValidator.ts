/**
 * Every request shape the real Kiro service rejects (docs/upstream/request-rules.md §2), as a pure check. The emulator's
 * strict mode answers them with the upstream's 400; translator tests call `findStrictViolation` directly.
 */
import { findImageProblem } from './imageCheck.ts';
import { DEFAULT_MAX_INPUT_TOKENS, isEmulatorModelId, maxInputTokensOf } from './modelCatalogue.ts';
import { checkReasoningFields, checkReplayedReasoning } from './strictReasoningRules.ts';
import { checkToolResult, checkToolSpecifications, checkToolUse, isJsonObject } from './strictToolRules.ts';

/**
 * KGW measured ≈ 615 KB as the hard limit with 200k-token models; above it the upstream answers a cryptic 400.
 * The emulator scales it with the model's input limit (a 1M model takes five times as much).
 */
export const MAX_BODY_BYTES = 600_000;

function maxBodyBytesFor(body: unknown): number {
  const state = isJsonObject(body) ? body['conversationState'] : undefined;
  const current = isJsonObject(state) ? state['currentMessage'] : undefined;
  const message = isJsonObject(current) ? current['userInputMessage'] : undefined;
  const modelId = isJsonObject(message) ? message['modelId'] : undefined;
  return (MAX_BODY_BYTES * maxInputTokensOf(modelId)) / DEFAULT_MAX_INPUT_TOKENS;
}

export interface StrictRejection {
  /** Why, for the request log and test failure messages. */
  reason: string;
  /** The 400 body the upstream answers. */
  body: { message: string; reason: string | null };
}

type JsonObject = Record<string, unknown>;

interface Turn {
  role: 'user' | 'assistant';
  where: string;
  message: JsonObject;
}

const malformed = (reason: string): StrictRejection => ({
  reason,
  body: { message: 'Improperly formed request.', reason: null },
});

/** A reason string when Kiro would reject `body`, null when it would accept it. */
export function findStrictViolation(body: unknown, byteLength?: number): string | null {
  return findStrictRejection(body, byteLength)?.reason ?? null;
}

export function findStrictRejection(
  body: unknown,
  byteLength = jsonByteLength(body),
): StrictRejection | undefined {
  const maxBytes = maxBodyBytesFor(body);
  if (byteLength > maxBytes) return malformed(`body is ${byteLength} bytes (max ${maxBytes})`);
  const state = isJsonObject(body) ? body['conversationState'] : undefined;
  if (!isJsonObject(state)) return malformed('conversationState missing');
  if (typeof state['conversationId'] !== 'string' || state['conversationId'].length === 0) {
    return malformed('conversationState.conversationId missing');
  }
  const currentMessage = state['currentMessage'];
  const current = isJsonObject(currentMessage) ? currentMessage['userInputMessage'] : undefined;
  if (!isJsonObject(current)) return malformed('conversationState.currentMessage.userInputMessage missing');
  const history = readHistory(state['history']);
  if (typeof history === 'string') return malformed(history);
  const turns: Turn[] = [...history, { role: 'user', where: 'currentMessage', message: current }];
  return (
    checkModels(turns) ??
    checkReasoningFields(body as JsonObject, current['modelId']) ??
    firstRejection(history, (turn) =>
      turn.role === 'assistant' ? checkReplayedReasoning(turn.message, turn.where) : undefined,
    ) ??
    checkAlternation(history) ??
    firstRejection(turns, checkTurnContent) ??
    checkToolUses(history) ??
    checkToolPairing(turns) ??
    checkDeclaredTools(current, history)
  );
}

function jsonByteLength(body: unknown): number {
  return Buffer.byteLength(JSON.stringify(body) ?? '');
}

function readHistory(history: unknown): Turn[] | string {
  if (history === undefined) return [];
  if (!Array.isArray(history)) return 'conversationState.history is not a list';
  const turns: Turn[] = [];
  for (const [index, entry] of history.entries()) {
    const where = `history[${index}]`;
    const user = isJsonObject(entry) ? entry['userInputMessage'] : undefined;
    const assistant = isJsonObject(entry) ? entry['assistantResponseMessage'] : undefined;
    if (isJsonObject(user) === isJsonObject(assistant))
      return `${where} is not exactly one user or assistant message`;
    if (isJsonObject(user)) turns.push({ role: 'user', where: `${where}.userInputMessage`, message: user });
    else
      turns.push({
        role: 'assistant',
        where: `${where}.assistantResponseMessage`,
        message: assistant as JsonObject,
      });
  }
  return turns;
}

function firstRejection(
  turns: Turn[],
  check: (turn: Turn) => StrictRejection | undefined,
): StrictRejection | undefined {
  for (const turn of turns) {
    const rejection = check(turn);
    if (rejection) return rejection;
  }
  return undefined;
}

/** The current message must name a known model; history messages may omit it but not name an unknown one. */
function checkModels(turns: Turn[]): StrictRejection | undefined {
  return firstRejection(turns, ({ role, where, message }) => {
    const modelId = message['modelId'];
    if (role !== 'user' || (modelId === undefined && where !== 'currentMessage')) return undefined;
    if (isEmulatorModelId(modelId)) return undefined;
    return {
      reason: `${where}.modelId ${JSON.stringify(modelId)} is not in the catalogue`,
      body: { message: 'Invalid model id', reason: 'INVALID_MODEL_ID' },
    };
  });
}

function checkAlternation(history: Turn[]): StrictRejection | undefined {
  if (history.length === 0) return undefined;
  if (history[0]!.role !== 'user') return malformed('history starts with an assistant turn');
  for (let i = 1; i < history.length; i++) {
    if (history[i]!.role === history[i - 1]!.role) {
      return malformed(`${history[i]!.where} follows another ${history[i]!.role} turn`);
    }
  }
  if (history.at(-1)!.role !== 'assistant') return malformed('history does not end with an assistant turn');
  return undefined;
}

function checkTurnContent({ role, where, message }: Turn): StrictRejection | undefined {
  const content = message['content'];
  if (typeof content !== 'string') return malformed(`${where}.content is not a string`);
  // Whitespace counts as content only for an assistant turn that carries tool uses (" " is the usual filler).
  const hasToolUses =
    role === 'assistant' && Array.isArray(message['toolUses']) && message['toolUses'].length > 0;
  if ((hasToolUses ? content : content.trim()).length === 0) return malformed(`${where}.content is empty`);
  if (role === 'assistant') return undefined;
  const images = message['images'];
  if (images === undefined) return undefined;
  if (!Array.isArray(images)) return malformed(`${where}.images is not a list`);
  for (const [index, image] of images.entries()) {
    const problem = findImageProblem(image, `${where}.images[${index}]`);
    if (problem) return { reason: problem.reason, body: { message: problem.message, reason: null } };
  }
  return undefined;
}

function toolUsesOf(turn: Turn | undefined): unknown[] {
  const toolUses = turn?.role === 'assistant' ? turn.message['toolUses'] : undefined;
  return Array.isArray(toolUses) ? toolUses : [];
}

function toolResultsOf(turn: Turn | undefined): unknown[] {
  const context = turn?.role === 'user' ? turn.message['userInputMessageContext'] : undefined;
  const toolResults = isJsonObject(context) ? context['toolResults'] : undefined;
  return Array.isArray(toolResults) ? toolResults : [];
}

function idOf(entry: unknown): string {
  return String((entry as JsonObject)['toolUseId']);
}

/** Well-formed tool uses with ids unique across the whole history. */
function checkToolUses(history: Turn[]): StrictRejection | undefined {
  const seen = new Set<string>();
  for (const turn of history) {
    for (const [index, toolUse] of toolUsesOf(turn).entries()) {
      const problem = checkToolUse(toolUse, `${turn.where}.toolUses[${index}]`);
      if (problem) return malformed(problem);
      if (seen.has(idOf(toolUse))) return malformed(`${turn.where}: duplicate toolUseId ${idOf(toolUse)}`);
      seen.add(idOf(toolUse));
    }
  }
  return undefined;
}

/** Results answer the immediately preceding assistant turn, once each, and every tool use gets its result. */
function checkToolPairing(turns: Turn[]): StrictRejection | undefined {
  for (const [index, turn] of turns.entries()) {
    if (turn.role === 'assistant') {
      const answered = new Set(toolResultsOf(turns[index + 1]).map(idOf));
      const orphan = toolUsesOf(turn)
        .map(idOf)
        .find((id) => !answered.has(id));
      if (orphan !== undefined)
        return malformed(`${turn.where}: tool use ${orphan} has no result in the next turn`);
      continue;
    }
    const offered = new Set(toolUsesOf(turns[index - 1]).map(idOf));
    const seen = new Set<string>();
    for (const [resultIndex, result] of toolResultsOf(turn).entries()) {
      const where = `${turn.where}.userInputMessageContext.toolResults[${resultIndex}]`;
      const problem = checkToolResult(result, where);
      if (problem) return malformed(problem);
      if (seen.has(idOf(result))) return malformed(`${where}: duplicate result for ${idOf(result)}`);
      if (!offered.has(idOf(result)))
        return malformed(`${where}: ${idOf(result)} is not a tool use of the previous turn`);
      seen.add(idOf(result));
    }
  }
  return undefined;
}

/** The current tool list is well formed and declares every tool the history used (case-insensitive). */
function checkDeclaredTools(current: JsonObject, history: Turn[]): StrictRejection | undefined {
  const context = current['userInputMessageContext'];
  const tools = isJsonObject(context) ? context['tools'] : undefined;
  const { problem, names } = checkToolSpecifications(tools, 'currentMessage.userInputMessageContext.tools');
  if (problem) return malformed(problem);
  for (const turn of history) {
    const undeclared = toolUsesOf(turn)
      .map((toolUse) => String((toolUse as JsonObject)['name']))
      .find((name) => !names.has(name.toLowerCase()));
    if (undeclared !== undefined)
      return malformed(`${turn.where}: tool ${undeclared} is not declared in tools`);
  }
  return undefined;
}
