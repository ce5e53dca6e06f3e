/**
 * One input line of `kiro-dock daemon` → what to do with it. Lenient where a caller may add fields (anything
 * unknown is ignored), strict where a wrong value would silently change the answer; every refusal says what is
 * wrong and what to send instead.
 */
import { transcriptTurns } from './transcriptTurns.ts';
import { errorMessage } from '../../shared/errorMessage.ts';

/** Echoed on every line answering the request, so callers may pipeline and match answers. */
export type DaemonId = string | number;

export interface DaemonPrompt {
  model?: string;
  system?: unknown;
  /** Anthropic-shaped turns: the caller's own, or those split from a flat prompt. */
  messages: unknown;
  maxTokens?: number;
}

export type DaemonInput =
  | { kind: 'ping'; id?: DaemonId }
  | { kind: 'prompt'; id?: DaemonId; stream: boolean; prompt: DaemonPrompt }
  | { kind: 'invalid'; id?: DaemonId; message: string };

const EXAMPLE = '{"prompt": "User: Hello\\n\\nAssistant: ", "stream": false}';

export function parseDaemonLine(line: string, lineNumber: number): DaemonInput {
  const where = `line ${lineNumber}`;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const reason = errorMessage(error);
    return invalid(`${where} is not JSON (${reason}); send one JSON object per line, e.g. ${EXAMPLE}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid(`${where} must be a JSON object, got ${describe(value)}; e.g. ${EXAMPLE}`);
  }
  const fields = value as Record<string, unknown>;
  // null is how some callers spell "no id".
  const id = fields['id'] ?? undefined;
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') {
    return invalid(`${where}: "id" must be a string or a number, got ${describe(id)}`);
  }
  const problem = fieldProblem(fields);
  if (problem !== undefined) return invalid(`${where}: ${problem}`, id);
  if (fields['ping'] === true) return { kind: 'ping', id };
  const prompt = daemonPromptOf(fields);
  if (typeof prompt === 'string') return invalid(`${where}: ${prompt}`, id);
  return { kind: 'prompt', id, stream: fields['stream'] === true, prompt };
}

function invalid(message: string, id?: DaemonId): DaemonInput {
  return { kind: 'invalid', id, message };
}

/** The first optional field with a value that cannot be meant, in words. */
function fieldProblem(fields: Record<string, unknown>): string | undefined {
  const { stream, model, max_tokens: maxTokens, ping } = fields;
  if (ping !== undefined && ping !== true) return `"ping" must be true, got ${describe(ping)}`;
  if (stream !== undefined && typeof stream !== 'boolean')
    return `"stream" must be true or false, got ${describe(stream)}`;
  if (model !== undefined && (typeof model !== 'string' || model.trim() === ''))
    return `"model" must be a model id such as "claude-sonnet-4-5", got ${describe(model)}`;
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && (maxTokens as number) > 0))
    return `"max_tokens" must be a whole number above 0, got ${describe(maxTokens)}`;
  return undefined;
}

/** The turns to send (from `prompt` or `messages`), or the sentence saying why there are none. */
export function daemonPromptOf(fields: Record<string, unknown>): DaemonPrompt | string {
  const { prompt, messages, system } = fields;
  const common = {
    ...(typeof fields['model'] === 'string' && { model: fields['model'] }),
    ...(typeof fields['max_tokens'] === 'number' && { maxTokens: fields['max_tokens'] }),
  };
  if (prompt !== undefined && messages !== undefined)
    return 'give "prompt" (a transcript) or "messages" (Anthropic-shaped turns), not both';
  if (messages !== undefined) {
    if (!Array.isArray(messages) || messages.length === 0)
      return `"messages" must be a non-empty array of {"role": "user"|"assistant", "content": …}, got ${describe(messages)}`;
    return { ...common, messages, ...(system !== undefined && { system }) };
  }
  if (typeof prompt !== 'string')
    return prompt === undefined
      ? `a request needs "prompt" (a string) or "messages"; e.g. ${EXAMPLE}`
      : `"prompt" must be a string, got ${describe(prompt)}`;
  if (system !== undefined && typeof system !== 'string')
    return `"system" must be a string alongside "prompt" (blocks go with "messages"), got ${describe(system)}`;
  const turns = transcriptTurns(prompt);
  if (!turns.messages.some((message) => message.role === 'user'))
    return `"prompt" has no user text to answer; e.g. ${EXAMPLE}`;
  const systemText = [system, turns.system].filter((text) => text !== undefined && text.trim() !== '');
  return {
    ...common,
    messages: turns.messages,
    ...(systemText.length > 0 && { system: systemText.join('\n\n') }),
  };
}

/** A value as a short phrase for an error message (never the whole value: it may be a long prompt). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return `${typeof value} ${String(value)}`;
  return typeof value;
}
