import { randomUUID } from 'node:crypto';

/**
 * `<prefix><24 hex digits>` (96 random bits), for request, message and completion ids. Taken from randomUUID,
 * which draws from a buffered pool of entropy: a fresh randomBytes call per id cost measurable CPU under load.
 */
export function randomId(prefix: string): string {
  const uuid = randomUUID();
  // The version and variant nibbles (positions 14 and 19) are fixed, so they are left out.
  return (
    prefix +
    uuid.slice(0, 8) +
    uuid.slice(9, 13) +
    uuid.slice(15, 18) +
    uuid.slice(20, 23) +
    uuid.slice(24, 30)
  );
}
