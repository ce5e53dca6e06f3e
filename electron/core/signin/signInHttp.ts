/** The sign-in flows' HTTP: small JSON calls, each bounded in time and cancellable with the flow. */
import { cancelledError, SignInError } from './signInError.ts';
import { errorMessage } from '../../../shared/errorMessage.ts';

const CALL_TIMEOUT_MS = 30_000;

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function callJson(
  url: string,
  init: { method?: 'POST' | 'GET'; headers?: Record<string, string>; body?: unknown; signal?: AbortSignal },
): Promise<JsonAnswer> {
  // Loaded by the first sign-in, not by every start (undici is over a hundred modules).
  const { request } = await import('undici');
  let answer;
  try {
    answer = await request(url, {
      method: init.method ?? 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      headersTimeout: CALL_TIMEOUT_MS,
      bodyTimeout: CALL_TIMEOUT_MS,
    });
  } catch (error) {
    if (init.signal?.aborted) throw cancelledError();
    throw new SignInError(
      'failed',
      `Could not reach ${new URL(url).host}: ${errorMessage(error)}. Check the network and try again.`,
    );
  }
  const text = await answer.body.text();
  return { status: answer.statusCode, body: parseObject(text) };
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function numberField(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
