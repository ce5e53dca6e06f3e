/**
 * What a user pastes or drops for a batch import, read into logins: an export file of Kiro Dock
 * (`accounts export --with-secrets`), a JSON list of credentials in the shape other Kiro tools keep
 * (`{refreshToken, authMethod, clientId, clientSecret, region}`, or one such object), or plain refresh tokens
 * separated by new lines, spaces or commas.
 */
import { errorMessage } from '../../../shared/errorMessage.ts';
import { isJsonObject } from '../json/parseJsonObject.ts';

export interface BatchLogin {
  refreshToken?: string;
  apiKey?: string;
  authMethod: 'social' | 'idc' | 'api_key';
  clientId?: string;
  clientSecret?: string;
  region?: string;
  label?: string;
  profileArn?: string;
}

/** Characters enough to tell tokens apart in a list; never enough to use one. */
export function tokenPreview(token: string): string {
  return token.length <= 12 ? '…' : `${token.slice(0, 3)}…${token.slice(-4)}`;
}

export function parseBatch(text: string): BatchLogin[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJsonBatch(trimmed);
  return trimmed
    .split(/[\s,;]+/)
    .filter((token) => token.length > 0)
    .map((token) =>
      token.startsWith('ksk_')
        ? { apiKey: token, authMethod: 'api_key' }
        : { refreshToken: token, authMethod: 'social' },
    );
}

function parseJsonBatch(text: string): BatchLogin[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`This looks like JSON but is not valid JSON (${errorMessage(error)}).`);
  }
  const list = Array.isArray(parsed)
    ? parsed
    : isJsonObject(parsed) && Array.isArray(parsed['accounts'])
      ? parsed['accounts']
      : [parsed];
  return list.map((item, index) => loginOf(item, index));
}

function loginOf(item: unknown, index: number): BatchLogin {
  if (!isJsonObject(item)) throw new Error(`Entry ${index + 1} is not an object.`);
  // Kiro Dock's export keeps the secrets apart, other tools keep them beside the metadata.
  const secrets = isJsonObject(item['secrets']) ? item['secrets'] : item;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  const apiKey = text(secrets['apiKey']) ?? text(item['kiroApiKey']);
  const method = text(item['authMethod'])?.toLowerCase();
  const idc =
    method === 'idc' || method === 'builder-id' || method === 'iam' || Boolean(text(secrets['clientId']));
  return {
    refreshToken: text(secrets['refreshToken']),
    apiKey,
    authMethod: apiKey ? 'api_key' : idc ? 'idc' : 'social',
    clientId: text(secrets['clientId']),
    clientSecret: text(secrets['clientSecret']),
    region: text(item['authRegion']) ?? text(item['region']),
    label: text(item['label']),
    profileArn: text(item['profileArn']),
  };
}
