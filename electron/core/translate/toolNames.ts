/**
 * Kiro accepts tool names of at most 64 characters from [A-Za-z0-9_-]; MCP tools in Claude Code often exceed
 * that. Such names are rewritten deterministically (same input → same Kiro name, so history stays stable
 * across turns) and mapped back when the model calls them.
 */
import { createHash } from 'node:crypto';

const MAX_TOOL_NAME_LENGTH = 64;
const VALID_TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const INVALID_CHARACTERS = /[^A-Za-z0-9_-]/g;
const HASH_HEX_LENGTH = 8;

export interface ToolNameMap {
  /** The name sent to Kiro for a client tool name. */
  toKiro(clientName: string): string;
  /** The client's original name for a name Kiro used; identity for names that were never rewritten. */
  restore(kiroName: string): string;
}

export function createToolNameMap(): ToolNameMap {
  const toKiroCache = new Map<string, string>();
  const toClient = new Map<string, string>();
  return {
    toKiro(clientName) {
      const cached = toKiroCache.get(clientName);
      if (cached !== undefined) return cached;
      const kiroName = kiroToolName(clientName);
      toKiroCache.set(clientName, kiroName);
      if (kiroName !== clientName) toClient.set(kiroName, clientName);
      return kiroName;
    },
    restore: (kiroName) => toClient.get(kiroName) ?? kiroName,
  };
}

/** Pure: the Kiro-safe form of a tool name (prefix + "_" + 8 hex of the original's sha256 when rewritten). */
export function kiroToolName(clientName: string): string {
  if (VALID_TOOL_NAME.test(clientName)) return clientName;
  const hash = createHash('sha256').update(clientName).digest('hex').slice(0, HASH_HEX_LENGTH);
  const prefix = clientName
    .replace(INVALID_CHARACTERS, '_')
    .slice(0, MAX_TOOL_NAME_LENGTH - HASH_HEX_LENGTH - 1);
  return `${prefix}_${hash}`;
}
