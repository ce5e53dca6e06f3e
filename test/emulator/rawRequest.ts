/**
 * One HTTP request with node:http that keeps what fetch hides: every received chunk as it arrived, and a body
 * that broke off (the error, plus the bytes that did arrive).
 */
import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as received, one entry per 'data' event. */
  chunks: Buffer[];
  body: Buffer;
  /** Set when the body did not end cleanly (socket cut mid-body). */
  error?: Error;
  /** Milliseconds from sending to the status line. */
  headersAfterMs: number;
}

export interface RawRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export function rawRequest(url: string, init: RawRequestInit = {}): Promise<RawResponse> {
  const payload =
    init.body === undefined
      ? undefined
      : typeof init.body === 'string'
        ? init.body
        : JSON.stringify(init.body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: init.method ?? (payload === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', ...init.headers },
      agent: false,
    });
    request.once('error', reject);
    request.once('response', (response) => {
      const headersAt = performance.now();
      const chunks: Buffer[] = [];
      const finish = (error?: Error) =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          chunks,
          body: Buffer.concat(chunks),
          error,
          headersAfterMs: headersAt - started,
        });
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => finish());
      response.once('error', (error) => finish(error));
      response.once('aborted', () => finish(new Error('aborted')));
    });
    request.end(payload);
  });
}
