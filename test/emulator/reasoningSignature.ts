/**
 * Signatures of the emulator's native reasoning (docs/native-reasoning.md): an HMAC of the reasoning text, so a
 * signature only verifies for the text it was issued with; redacted reasoning carries its own tag. A replayed
 * block the emulator did not issue is refused with THINKING_SIGNATURE_INVALID, as Kiro refuses it.
 */
import { createHmac } from 'node:crypto';

const SIGNING_KEY = 'kiro-emulator-reasoning-key';
const REDACTED_PREFIX = 'kiro-emulator-redacted:';

export function signReasoning(text: string): string {
  return createHmac('sha256', SIGNING_KEY).update(text).digest('base64');
}

export function isValidSignature(text: string, signature: string): boolean {
  return signature === signReasoning(text);
}

/** Opaque base64 the client must send back unchanged. */
export function redactedReasoning(seed: string): string {
  const body = `${REDACTED_PREFIX}${seed}`;
  return Buffer.from(`${body}|${signReasoning(body)}`).toString('base64');
}

export function isValidRedactedReasoning(data: string): boolean {
  const decoded = Buffer.from(data, 'base64').toString('utf8');
  const separator = decoded.lastIndexOf('|');
  const body = decoded.slice(0, separator);
  return (
    separator > 0 && body.startsWith(REDACTED_PREFIX) && isValidSignature(body, decoded.slice(separator + 1))
  );
}
