/**
 * What makes two requests "the same question from the same asker": a sha256 of the canonical JSON of everything
 * that shapes the answer, and of the scope the answer may be shared in. `stream` and `metadata` are left out, so
 * a streaming and a non-streaming request share one answer (metadata's user id counts only as the scope's
 * session); the model is the resolved Kiro model, so two aliases of one model share it too.
 */
import { createHash } from 'node:crypto';
import type { AnthropicRequest } from '../translate/anthropicRequest.ts';

/** The request fields that decide the answer (everything else is transport or bookkeeping). */
const ANSWER_FIELDS = [
  'system',
  'messages',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'temperature',
  'top_p',
  'top_k',
  'max_tokens',
  'stop_sequences',
] as const satisfies ReadonlyArray<keyof AnthropicRequest>;

/**
 * Who may be given an answer another request got. A conversation's answers stay in that conversation: two
 * sessions asking the same words are two different askers (their tools, files and next steps differ). A request
 * that names no session shares only with requests that name none either and presented the same client key.
 */
export interface CacheScope {
  /** The client key the request was authenticated with, as clientKeyAuth names it (never the key itself). */
  client: string;
  /** Claude Code's session id, else the request's user id (Anthropic `metadata.user_id`, OpenAI `user`). */
  session?: string;
}

export function fingerprintRequest(
  request: AnthropicRequest,
  resolvedModelId: string,
  scope: CacheScope,
): string {
  // `null` for no session, so a session can never be mistaken for the absence of one.
  const answerShaping: Record<string, unknown> = {
    scope: [scope.client, scope.session ?? null],
    model: resolvedModelId,
  };
  for (const field of ANSWER_FIELDS) answerShaping[field] = request[field];
  return createHash('sha256').update(canonicalJson(answerShaping)).digest('hex');
}

/**
 * JSON with object keys sorted at every depth and undefined members dropped, so key order and absent-vs-undefined
 * never change the text. Array order is kept: it is meaningful. Built on the native JSON.stringify (a replacer
 * that re-orders only objects whose keys are out of order), which is several times faster than walking in JS.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortedKeys) ?? 'null';
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (isSorted(keys)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of keys.sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}
