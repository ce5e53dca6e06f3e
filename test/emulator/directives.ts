/**
 * `[[…]]` directives in the current user message that tell the emulator what to answer, so a test can script
 * the upstream through any client, proxy and translator without a side channel.
 */
import { isFaultKind, type FaultKind } from './faults.ts';

export interface ToolDirective {
  name: string;
  input: Record<string, unknown>;
}

export interface Directives {
  reply?: string;
  tools: ToolDirective[];
  /** Add a metadataEvent with tokenUsage. */
  usage: boolean;
  /** With native reasoning: a redacted (encrypted) reasoning block before the signed one. */
  redactedThinking: boolean;
  /** `[[thinks-anyway]]`: the model opens its answer with a `<thinking>` block though no thinking was asked for. */
  thinksAnyway: boolean;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  chunkCount?: number;
  interFrameDelayMs?: number;
  timeToFirstByteMs?: number;
  /** Credits the meteringEvent reports for the turn (`[[credits:N]]`, whole credits). */
  credits?: number;
  fault?: FaultKind;
}

const REPLY = /\[\[reply:([\s\S]*?)\]\]/;
const TOOL_START = /\[\[tool:([^:\]\s]+):/g;
const NUMBER_DIRECTIVE = /\[\[(cache-read|cache-write|chunks|delay|ttfb|credits):(\d+)\]\]/g;
const FAULT = /\[\[fault:([a-z0-9-]+)\]\]/;

export function parseDirectives(content: string): Directives {
  const directives: Directives = {
    tools: parseToolDirectives(content),
    usage: content.includes('[[usage]]'),
    redactedThinking: content.includes('[[redacted-thinking]]'),
    thinksAnyway: content.includes('[[thinks-anyway]]'),
  };
  const reply = REPLY.exec(content);
  if (reply) directives.reply = reply[1];
  for (const [, name, digits] of content.matchAll(NUMBER_DIRECTIVE))
    applyNumber(directives, name!, Number(digits));
  const fault = FAULT.exec(content)?.[1];
  if (fault && isFaultKind(fault)) directives.fault = fault;
  return directives;
}

function applyNumber(directives: Directives, name: string, value: number): void {
  switch (name) {
    case 'cache-read':
      directives.cacheReadTokens = value;
      directives.usage = true;
      break;
    case 'cache-write':
      directives.cacheWriteTokens = value;
      directives.usage = true;
      break;
    case 'chunks':
      directives.chunkCount = Math.max(1, value);
      break;
    case 'delay':
      directives.interFrameDelayMs = value;
      break;
    case 'ttfb':
      directives.timeToFirstByteMs = value;
      break;
    case 'credits':
      directives.credits = value;
      break;
  }
}

/** `[[tool:NAME:{json}]]`; the JSON may itself contain `]]`, so its extent is found by brace matching. */
function parseToolDirectives(content: string): ToolDirective[] {
  const tools: ToolDirective[] = [];
  for (const match of content.matchAll(TOOL_START)) {
    const jsonStart = match.index + match[0].length;
    const jsonEnd = endOfJsonObject(content, jsonStart);
    if (jsonEnd === undefined || !content.startsWith(']]', jsonEnd)) continue;
    const input = parseObject(content.slice(jsonStart, jsonEnd));
    if (input) tools.push({ name: match[1]!, input });
  }
  return tools;
}

/** Index just past the `{…}` starting at `start`, honouring strings and escapes; undefined if unbalanced. */
function endOfJsonObject(text: string, start: number): number | undefined {
  if (text[start] !== '{') return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i + 1;
  }
  return undefined;
}

function parseObject(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
