import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeEventStream, decodeFrame, splitMessages } from '../emulator/decodeEventStream.ts';
import { startKiroEmulator, type KiroEmulator } from '../emulator/kiroEmulator.ts';
import { kiroRequestBody, toolSpecification } from '../emulator/kiroRequestBody.ts';
import { rawRequest, type RawResponse } from '../emulator/rawRequest.ts';

let emulator: KiroEmulator;
let accessToken: string;
beforeAll(async () => {
  emulator = await startKiroEmulator();
  accessToken = emulator.createSocialAccount().accessToken;
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.setFault(undefined);
});

function ask(content: string, tools = [toolSpecification('write_file')]): Promise<RawResponse> {
  return rawRequest(`${emulator.url}/generateAssistantResponse`, {
    body: kiroRequestBody(content, { tools }),
    headers: { authorization: `Bearer ${accessToken}` },
  });
}

function eventTypes(bytes: Uint8Array): unknown[] {
  return decodeEventStream(bytes).map((frame) => frame.headers[':event-type']);
}

function textOf(bytes: Uint8Array): string {
  return decodeEventStream(bytes)
    .filter((frame) => frame.headers[':event-type'] === 'assistantResponseEvent')
    .map((frame) => (frame.payload as { content: string }).content)
    .join('');
}

const HTTP_FAULTS = [
  {
    kind: '429',
    status: 429,
    retryAfter: '2',
    body: {
      message: 'Too many requests, please wait before trying again.',
      reason: 'SERVICE_REQUEST_RATE_EXCEEDED',
    },
  },
  {
    kind: '402',
    status: 402,
    body: { message: 'You have reached the limit.', reason: 'MONTHLY_REQUEST_COUNT' },
  },
  {
    kind: '429-monthly',
    status: 429,
    body: {
      __type: 'ThrottlingException',
      message: 'Maximum Request reached for this month.',
      reason: 'MONTHLY_REQUEST_COUNT',
    },
  },
  {
    kind: '403-invalid',
    status: 403,
    body: { message: 'The bearer token included in the request is invalid.', reason: null },
  },
  {
    kind: '403-suspended',
    status: 403,
    body: {
      message: expect.stringMatching(/^Your User ID \(.+\) temporarily is suspended/),
      reason: expect.any(String),
    },
  },
  {
    kind: '400-too-long',
    status: 400,
    body: { message: 'Input is too long.', reason: 'CONTENT_LENGTH_EXCEEDS_THRESHOLD' },
  },
  {
    kind: '500',
    status: 500,
    body: { message: 'Encountered unexpectedly high load when processing the request, please try again.' },
  },
] as const;

describe('HTTP faults', () => {
  for (const fault of HTTP_FAULTS) {
    it(`[[fault:${fault.kind}]] answers ${fault.status} with the upstream's body`, async () => {
      const response = await ask(`hi [[fault:${fault.kind}]]`);
      expect(response.status).toBe(fault.status);
      expect(JSON.parse(response.body.toString())).toEqual(fault.body);
      expect(response.headers['retry-after']).toBe('retryAfter' in fault ? fault.retryAfter : undefined);
      expect(emulator.requests.at(-1)).toMatchObject({ status: fault.status, fault: fault.kind });
    });
  }

  it('a server-wide fault with times applies to that many requests, then the upstream recovers', async () => {
    emulator.setFault({ kind: '500', times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await ask('hi')).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  it('a server-wide fault without times stays until cleared', async () => {
    emulator.setFault({ kind: '429' });
    expect([(await ask('a')).status, (await ask('b')).status]).toEqual([429, 429]);
    emulator.setFault(undefined);
    expect((await ask('c')).status).toBe(200);
  });

  it('slow-headers holds the status line for [[ttfb:MS]], then streams normally', async () => {
    const response = await ask('hi [[fault:slow-headers]] [[ttfb:150]] [[reply:late]]');
    expect(response.headersAfterMs).toBeGreaterThanOrEqual(145);
    expect(textOf(response.body)).toBe('late');
  });
});

describe('stream faults', () => {
  it('cut: some text frames, then the connection ends without the end of the body', async () => {
    const response = await ask('hi [[fault:cut]] [[reply:a reply that never finishes]] [[chunks:8]]');
    expect(response.status).toBe(200);
    expect(response.error).toBeDefined();
    expect(eventTypes(response.body)).toEqual(Array(4).fill('assistantResponseEvent'));
    const viaFetch = await fetch(`${emulator.url}/generateAssistantResponse`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(kiroRequestBody('hi [[fault:cut]]')),
    });
    await expect(viaFetch.arrayBuffer()).rejects.toThrow();
  });

  it('cut-in-tool: the tool call starts and gets a fragment, but never stops', async () => {
    for (const content of [
      '[[fault:cut-in-tool]] [[tool:write_file:{"path":"a.txt","text":"xyz"}]]',
      '[[fault:cut-in-tool]]',
    ]) {
      const response = await ask(content);
      expect(response.error).toBeDefined();
      const frames = decodeEventStream(response.body);
      const tools = frames.filter((frame) => frame.headers[':event-type'] === 'toolUseEvent');
      expect(tools).toHaveLength(2);
      expect(tools[0]!.payload).toMatchObject({ input: '' });
      expect(() => JSON.parse((tools[1]!.payload as { input: string }).input)).toThrow();
      expect(frames.some((frame) => (frame.payload as { stop?: boolean }).stop)).toBe(false);
      expect(frames.at(-1)!.headers[':event-type']).toBe('toolUseEvent');
    }
  });

  it('bad-crc: after some text, the official decoder rejects a frame', async () => {
    const response = await ask('hi [[fault:bad-crc]] [[chunks:6]]');
    expect(response.error).toBeUndefined();
    const messages = splitMessages(response.body);
    const failing = messages.findIndex((message) => {
      try {
        decodeFrame(message);
        return false;
      } catch {
        return true;
      }
    });
    expect(failing).toBe(3);
    expect(() => decodeFrame(messages[failing]!)).toThrow(/checksum/i);
    expect(messages.slice(0, 3).map((message) => decodeFrame(message).headers[':event-type'])).toEqual(
      Array(3).fill('assistantResponseEvent'),
    );
  });

  it('exception: an exception frame after some text, then the body ends', async () => {
    const response = await ask('hi [[fault:exception]] [[chunks:6]]');
    expect(response.error).toBeUndefined();
    const frames = decodeEventStream(response.body);
    expect(frames).toHaveLength(4);
    expect(frames.at(-1)!.headers).toEqual({
      ':message-type': 'exception',
      ':exception-type': 'InternalServerException',
      ':content-type': 'application/json',
    });
    expect(frames.at(-1)!.payload).toMatchObject({ message: expect.any(String) });
  });

  it('split: the same bytes arrive in many small writes that cut through frames', async () => {
    const plain = await ask('split me [[reply:a reply in pieces]] [[chunks:6]]');
    emulator.setFault({ kind: 'split', times: 1 });
    const split = await ask('split me [[reply:a reply in pieces]] [[chunks:6]]');
    expect(split.body.equals(plain.body)).toBe(true);
    const frameEnds = new Set<number>();
    let offset = 0;
    for (const message of splitMessages(split.body)) frameEnds.add((offset += message.length));
    let received = 0;
    const chunkEnds = split.chunks.map((chunk) => (received += chunk.length));
    expect(split.chunks.length).toBeGreaterThan(frameEnds.size * 2);
    expect(chunkEnds.some((end) => !frameEnds.has(end))).toBe(true);
  });

  it('unknown-event: an unknown event type in the middle, everything else unchanged', async () => {
    const plain = eventTypes((await ask('x [[reply:same text]] [[chunks:4]]')).body);
    const withUnknown = eventTypes(
      (await ask('x [[reply:same text]] [[chunks:4]] [[fault:unknown-event]]')).body,
    );
    const unknownAt = withUnknown.findIndex((type) => !plain.includes(type));
    expect(unknownAt).toBe(2);
    expect(withUnknown.filter((_, index) => index !== unknownAt)).toEqual(plain);
  });

  it('duplicate: the same text delta twice in a row, both part of the answer', async () => {
    const response = await ask('[[fault:duplicate]] [[reply:ha ha!]] [[chunks:3]]');
    const contents = decodeEventStream(response.body)
      .filter((frame) => frame.headers[':event-type'] === 'assistantResponseEvent')
      .map((frame) => (frame.payload as { content: string }).content);
    expect(contents).toEqual(['ha', 'ha', ' h', 'a!']);
  });

  it('empty: a 200 event stream with no frames at all', async () => {
    const response = await ask('[[fault:empty]]');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.amazon.eventstream');
    expect(response.error).toBeUndefined();
    expect(response.body.length).toBe(0);
  });
});
