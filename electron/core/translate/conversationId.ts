/**
 * Kiro's `conversationId`. Reusing the client's session id keeps one id per Claude Code session, as the Kiro IDE
 * does per chat; without one, every request is its own conversation (the full history is sent each time, so
 * the upstream needs no state).
 */
import { randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Older Claude Code versions: `user_<hash>_account_<uuid or empty>_session_<uuid>`. */
const LEGACY_SESSION = /_session_([0-9a-f-]{36})$/i;

export function resolveConversationId(
  explicitId: string | undefined,
  metadataUserId: string | undefined,
): string {
  return explicitId ?? sessionIdFromUserId(metadataUserId) ?? randomUUID();
}

/** The session UUID inside Anthropic `metadata.user_id`, in either the JSON or the legacy form. */
function sessionIdFromUserId(userId: string | undefined): string | undefined {
  if (userId === undefined) return undefined;
  const candidate = userId.trimStart().startsWith('{')
    ? jsonSessionId(userId)
    : LEGACY_SESSION.exec(userId)?.[1];
  return candidate !== undefined && UUID.test(candidate) ? candidate.toLowerCase() : undefined;
}

function jsonSessionId(userId: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(userId);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const sessionId = (parsed as { session_id?: unknown }).session_id;
    return typeof sessionId === 'string' ? sessionId : undefined;
  } catch {
    return undefined;
  }
}
