/**
 * A request is on record (its usage ledger row written to SQLite) before the last bytes of its answer leave
 * Kiro Dock, on every turn route, streamed or not: a client that has its whole answer finds it in the ledger
 * even if the process is killed right then. Measured on the server's own socket: at the moment the row is
 * written, part of the answer has not been handed to the socket yet.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteUsageLedger, type UsageLedger } from '../../electron/core/index.ts';
import { CLIENT_KEY, parseSse, startProxyHarness, type ProxyHarness } from './proxyHarness.ts';

let proxy: ProxyHarness;
let ledger: UsageLedger;
let dir: string;
const sockets: Socket[] = [];
/** The bytes the server had handed to the newest connection when each ledger row was written. */
const sentWhenRecorded: number[] = [];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'recorded-before-answer-'));
  ledger = openSqliteUsageLedger(path.join(dir, 'usage.sqlite'));
  const observed: UsageLedger = {
    ...ledger,
    record(row) {
      ledger.record(row);
      sentWhenRecorded.push(sockets.at(-1)?.bytesWritten ?? -1);
    },
  };
  proxy = await startProxyHarness({ core: { usageLedger: observed } });
  proxy.server.server.on('connection', (socket: Socket) => sockets.push(socket));
});
afterAll(async () => {
  await proxy.close();
  ledger.close();
  await fs.rm(dir, { recursive: true, force: true });
});

/** One request on a connection of its own, so the server's socket carries exactly its answer. */
function post(route: string, body: object): Promise<{ status: number; text: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${proxy.url}${route}`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, connection: 'close' },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text, sent: sockets.at(-1)?.bytesWritten ?? -1 }),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

const content = 'answer in three parts [[chunks:3]] [[credits:1]]';
const cases: Array<{ name: string; route: string; body: object; last: (text: string) => boolean }> = [
  {
    name: 'Messages, streamed',
    route: '/v1/messages',
    body: { model: 'claude-sonnet-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content }] },
    last: (text) => parseSse(text).at(-1)?.event === 'message_stop',
  },
  {
    name: 'Messages, JSON',
    route: '/v1/messages',
    body: { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content }] },
    last: (text) => (JSON.parse(text) as { stop_reason?: string }).stop_reason === 'end_turn',
  },
  {
    name: 'Chat Completions, streamed',
    route: '/v1/chat/completions',
    body: { model: 'claude-sonnet-4-5', stream: true, messages: [{ role: 'user', content }] },
    last: (text) => text.endsWith('data: [DONE]\n\n'),
  },
  {
    name: 'Chat Completions, JSON',
    route: '/v1/chat/completions',
    body: { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content }] },
    last: (text) => (JSON.parse(text) as { object?: string }).object === 'chat.completion',
  },
  {
    name: 'Responses, streamed',
    route: '/v1/responses',
    body: { model: 'claude-sonnet-4-5', stream: true, input: content },
    last: (text) => parseSse(text).at(-1)?.event === 'response.completed',
  },
  {
    name: 'Responses, JSON',
    route: '/v1/responses',
    body: { model: 'claude-sonnet-4-5', input: content },
    last: (text) => (JSON.parse(text) as { status?: string }).status === 'completed',
  },
];

describe('an answered request is on record before its last bytes go out', () => {
  it.each(cases)('$name', async ({ route, body, last }) => {
    const rowsBefore = ledger.rows({}).length;
    const recordedBefore = sentWhenRecorded.length;
    const answer = await post(route, body);
    expect(answer.status).toBe(200);
    expect(last(answer.text), answer.text).toBe(true);
    expect(ledger.rows({}).length).toBe(rowsBefore + 1);
    expect(sentWhenRecorded.length).toBe(recordedBefore + 1);
    const sentThen = sentWhenRecorded.at(-1)!;
    expect(sentThen).toBeGreaterThanOrEqual(0);
    expect(sentThen, 'bytes handed to the socket when the row was written').toBeLessThan(answer.sent);
  });
});
