/**
 * The one way the project turns something thrown into text: an Error's message, anything else as it prints.
 * A rejection with a string, an abort's DOMException or a library's own error class then read the same in the
 * logs, in an account's last error and in the answers clients get.
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
