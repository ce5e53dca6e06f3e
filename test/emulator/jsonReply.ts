import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmulatorRequestLogEntry } from './emulatorState.ts';

export interface JsonReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Answers with a JSON body and records the status in the request log. */
export function sendJsonReply(
  response: ServerResponse,
  entry: EmulatorRequestLogEntry,
  reply: JsonReply,
): void {
  const text = JSON.stringify(reply.body);
  entry.status = reply.status;
  response.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...reply.headers,
  });
  response.end(text);
}
