/**
 * What a failure while reading a request body (express.json, raw-body, zlib) means: the client's mistake, with
 * what to change, or a client that went away, which is nobody's error. Shared by the API and the admin API.
 */
import type { Request } from 'express';
import { RequestError } from '../translate/requestError.ts';

interface HttpErrorLike {
  type?: string;
  status?: number;
  code?: string;
  message?: string;
  /** raw-body's limit in bytes, on entity.too.large. */
  limit?: number;
}

/** The client closed the connection (or it was cut) before its request was read or answered. */
export function isClientGone(error: unknown, req: Request): boolean {
  const { type, code } = (error ?? {}) as HttpErrorLike;
  if (type === 'request.aborted') return true;
  if (code === 'ECONNRESET' || code === 'ECONNABORTED' || code === 'ERR_STREAM_PREMATURE_CLOSE') return true;
  return req.socket.destroyed;
}

/** The 4xx a body failure deserves; undefined when it is not a body failure. */
export function bodyReadError(error: unknown, req: Request, limit: string): RequestError | undefined {
  const { type, status, message = '', limit: limitBytes } = (error ?? {}) as HttpErrorLike;
  switch (type) {
    case 'entity.parse.failed':
      return new RequestError(`The request body is not valid JSON: ${message}`);
    case 'entity.too.large':
      return new RequestError(
        `The request body is larger than ${limitBytes === undefined ? limit : readableBytes(limitBytes)}.`,
        'request_too_large',
        413,
      );
    case 'encoding.unsupported':
      return new RequestError(
        `${message}: send the body uncompressed, or with gzip, deflate or br.`,
        'invalid_request_error',
        415,
      );
    case 'charset.unsupported':
      return new RequestError(`${message}: send the body as UTF-8.`, 'invalid_request_error', 415);
    case 'request.size.invalid':
      return new RequestError('The request body is not as long as its Content-Length header says.');
  }
  const encoding = contentEncoding(req);
  // zlib's own errors carry no type; body-parser gives them status 400.
  if (status === 400 && encoding !== 'identity') {
    return new RequestError(
      `The request body is not valid ${encoding} data (${message || 'cannot be decoded'}), though its ` +
        `Content-Encoding says so: send it uncompressed, or compressed the way the header says.`,
    );
  }
  if (status !== undefined && status >= 400 && status < 500)
    return new RequestError(message, undefined, status);
  return undefined;
}

/** 4 KB, 50 MB: as limits are written. */
function readableBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))} MB`;
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
}

function contentEncoding(req: Request): string {
  const header = req.headers['content-encoding'];
  return typeof header === 'string' && header.trim() !== '' ? header.trim().toLowerCase() : 'identity';
}
