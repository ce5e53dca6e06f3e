/** What a Kiro call is authorised with: the account's access token (or API key) and its identity. */
import type { ChatHostFamily } from './kiroEndpoints.ts';

export interface KiroCredential {
  accessToken: string;
  profileArn?: string;
  /** `ksk_…` Kiro API keys are sent as bearer tokens with `tokentype: API_KEY`. */
  isApiKey?: boolean;
  /** 64 hex characters identifying this installation+account to Kiro (appended to the user agent). */
  machineId: string;
  /** The chat host family that accepts this credential (default q). */
  chatHost?: ChatHostFamily;
}
