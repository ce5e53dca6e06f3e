/**
 * Pasted credentials are often incomplete: the Kiro IDE and some account tools display tokens shortened with
 * "..." and people copy that text. Kiro answers a truncated token only with a generic `invalid_grant`, so the
 * user is told here, before anything is stored, what is wrong and where to find the whole value.
 */

/** Refresh tokens seen from Kiro are several hundred characters; anything shorter was cut off (kiro.rs rule). */
const MIN_REFRESH_TOKEN_LENGTH = 100;

/** `ksk_` plus a body of at least this many characters; shorter keys were cut off when copied. */
const MIN_API_KEY_BODY_LENGTH = 20;

const API_KEY_PREFIX = 'ksk_';

const WHERE_TO_FIND_REFRESH_TOKEN =
  'Copy the whole "refreshToken" value from ~/.aws/sso/cache/kiro-auth-token.json (or sign in with the ' +
  'Kiro IDE and import that login) instead of copying it from a screen that shortens it.';

const WHERE_TO_FIND_API_KEY =
  'Copy the whole key from the place it was shown when you created it (Kiro keys start with "ksk_"); ' +
  'if it is no longer shown there, create a new key.';

/**
 * Why `token` cannot be a whole Kiro refresh token, or undefined when it looks whole. Whitespace around the
 * value is ignored (pasting adds it); callers store the trimmed value.
 */
export function refreshTokenProblem(token: string): string | undefined {
  const trimmed = token.trim();
  const shape = truncationProblem(trimmed, 'refresh token');
  if (shape) return `${shape} ${WHERE_TO_FIND_REFRESH_TOKEN}`;
  if (trimmed.length < MIN_REFRESH_TOKEN_LENGTH) {
    return (
      `This refresh token is only ${trimmed.length} characters long; whole Kiro refresh tokens have at ` +
      `least ${MIN_REFRESH_TOKEN_LENGTH}, so it was probably cut off. ${WHERE_TO_FIND_REFRESH_TOKEN}`
    );
  }
  return undefined;
}

/** Why `key` cannot be a whole Kiro API key, or undefined when it looks whole (surrounding whitespace ignored). */
export function apiKeyProblem(key: string): string | undefined {
  const trimmed = key.trim();
  const shape = truncationProblem(trimmed, 'API key');
  if (shape) return `${shape} ${WHERE_TO_FIND_API_KEY}`;
  if (!trimmed.startsWith(API_KEY_PREFIX)) {
    return `This is not a Kiro API key: Kiro API keys start with "${API_KEY_PREFIX}". ${WHERE_TO_FIND_API_KEY}`;
  }
  if (trimmed.length - API_KEY_PREFIX.length < MIN_API_KEY_BODY_LENGTH) {
    return `This API key is too short to be whole, so it was probably cut off. ${WHERE_TO_FIND_API_KEY}`;
  }
  return undefined;
}

/** Problems shared by every pasted secret: nothing there, an ellipsis, or text wrapped over several lines. */
function truncationProblem(value: string, what: string): string | undefined {
  if (value.length === 0) return `The ${what} is empty.`;
  if (value.includes('...') || value.includes('…')) {
    return `The ${what} contains "..." — it was copied from a display that shortens it, so part of it is missing.`;
  }
  if (/\s/.test(value)) {
    return `The ${what} contains spaces or line breaks, so it was not copied as one piece.`;
  }
  return undefined;
}
