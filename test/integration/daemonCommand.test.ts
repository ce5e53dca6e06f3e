/**
 * `kiro-dock daemon` and `kiro-dock chat` as real processes against the Kiro emulator: the JSON Lines protocol
 * on stdio (answers, streams, ids, pings, errors, the end of input) and the one-shot command's exit statuses.
 * Every daemon ends by its stdin closing, and must then exit 0 having written nothing but JSON lines.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assistantCalls,
  nonJsonStdout,
  runChat,
  spawnDaemon,
  startCliFixture,
  type CliFixture,
  type DaemonUnderTest,
} from './kiroDockCli.ts';

let fixture: CliFixture;

beforeAll(async () => {
  fixture = await startCliFixture();
});
afterAll(async () => {
  await fixture.close();
});

/** Closes stdin and checks the daemon's way out: status 0, and stdout held JSON lines only. */
async function finish(daemon: DaemonUnderTest): Promise<void> {
  expect(await daemon.finish(), daemon.stderr()).toBe(0);
  expect(nonJsonStdout(daemon.rawStdout())).toEqual([]);
}

interface KiroBody {
  conversationState: {
    currentMessage: { userInputMessage: { content: string; modelId: string } };
    history?: Array<{
      userInputMessage?: { content: string };
      assistantResponseMessage?: { content: string };
    }>;
  };
}

const lastKiroBody = () => assistantCalls(fixture.emulator).at(-1)!.body as KiroBody;

describe('kiro-dock daemon', () => {
  it('answers a transcript prompt with one content line, sending Kiro the turns', async () => {
    const daemon = spawnDaemon(fixture);
    daemon.send({ prompt: 'User: Hello\n\nAssistant: ', stream: false });
    const answer = await daemon.next();
    expect(Object.keys(answer)).toEqual(['content']);
    expect(answer['content']).toContain('You said: "Hello"');

    daemon.send({
      prompt: 'User: My name is Ada.\n\nAssistant: Hello, Ada.\n\nUser: And mine?\n\nAssistant: ',
    });
    expect((await daemon.next())['content']).toContain('And mine?');
    const { history, currentMessage } = lastKiroBody().conversationState;
    expect(currentMessage.userInputMessage.content).toBe('And mine?');
    expect(
      history?.map((turn) => turn.userInputMessage?.content ?? turn.assistantResponseMessage?.content),
    ).toEqual(['My name is Ada.', 'Hello, Ada.']);
    await finish(daemon);
    // Same accounts and secret store as serve, but no client key of its own: serve's first run still makes one.
    const secrets = JSON.parse(
      await fs.readFile(path.join(fixture.dataDir, 'secrets.json'), 'utf8'),
    ) as object;
    expect(Object.keys(secrets).length).toBeGreaterThan(0);
    expect(Object.keys(secrets)).not.toContain('client-key');
  });

  it('streams an answer as several content lines, then a done line', async () => {
    const daemon = spawnDaemon(fixture);
    daemon.send({
      prompt: 'User: [[chunks:5]] [[delay:40]] [[reply:one two three four five]]',
      stream: true,
    });
    const lines = await daemon.until((line) => line['done'] === true);
    const chunks = lines.slice(0, -1);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.every((line) => line['done'] === false && typeof line['content'] === 'string')).toBe(true);
    expect(chunks.map((line) => line['content']).join('')).toBe('one two three four five');
    expect(lines.at(-1)).toEqual({ content: '', done: true });
    await finish(daemon);
  });

  it('echoes each request id, so pipelined requests can be told apart', async () => {
    const daemon = spawnDaemon(fixture);
    const slow = {
      id: 'slow',
      prompt: 'User: [[chunks:4]] [[delay:80]] [[reply:a slow answer]]',
      stream: true,
    };
    daemon.child.stdin!.write(
      `${JSON.stringify(slow)}\n${JSON.stringify({ id: 2, prompt: 'User: [[reply:quick]]' })}\n`,
    );
    const lines = await daemon.until((line) => line['id'] === 'slow' && line['done'] === true);
    const quick = lines.filter((line) => line['id'] === 2);
    expect(quick).toEqual([{ id: 2, content: 'quick' }]);
    // The quick one was answered while the slow one streamed: both ran at once.
    expect(lines.indexOf(quick[0]!)).toBeLessThan(lines.length - 1);
    const slowText = lines.filter((line) => line['id'] === 'slow').map((line) => line['content']);
    expect(slowText.join('')).toBe('a slow answer');
    expect(lines.every((line) => line['id'] === 'slow' || line['id'] === 2)).toBe(true);
    await finish(daemon);
  });

  it('answers a malformed line with an error line naming the problem, and keeps serving', async () => {
    const daemon = spawnDaemon(fixture);
    daemon.send('this is not json');
    daemon.send({ id: 'p', prompt: 5 });
    daemon.send('[1, 2]');
    daemon.send({ id: 's', prompt: 'User: hi', stream: 'yes' });
    daemon.send({ id: 'ok', prompt: 'User: [[reply:still here]]' });
    const errors = [await daemon.next(), await daemon.next(), await daemon.next(), await daemon.next()];
    expect(
      errors.map((line) => [line['id'], line['done'], (line['error'] as { type: string }).type]),
    ).toEqual([
      [undefined, true, 'invalid_request_error'],
      ['p', true, 'invalid_request_error'],
      [undefined, true, 'invalid_request_error'],
      ['s', true, 'invalid_request_error'],
    ]);
    const messages = errors.map((line) => (line['error'] as { message: string }).message);
    expect(messages[0]).toMatch(/^line 1 is not JSON .*send one JSON object per line/);
    expect(messages[1]).toMatch(/^line 2: "prompt" must be a string, got number 5/);
    expect(messages[2]).toMatch(/^line 3 must be a JSON object, got an array/);
    expect(messages[3]).toMatch(/^line 4: "stream" must be true or false, got "yes"/);
    expect(await daemon.next()).toEqual({ id: 'ok', content: 'still here' });
    await finish(daemon);
  });

  it('turns an upstream failure into an error line, before or during a stream, and keeps serving', async () => {
    const daemon = spawnDaemon(fixture);
    daemon.send({ id: 'f', prompt: 'User: [[fault:400-too-long]]' });
    const failed = await daemon.next();
    expect(failed).toMatchObject({ id: 'f', done: true, error: { type: 'invalid_request_error' } });
    expect((failed['error'] as { message: string }).message).toMatch(/prompt is too long/);

    daemon.send({
      id: 'cut',
      prompt: 'User: [[fault:exception]] [[reply:half of this answer]]',
      stream: true,
    });
    const streamed = await daemon.until((line) => line['done'] === true);
    expect(streamed.at(0)).toMatchObject({ id: 'cut', done: false });
    expect(streamed.at(-1)).toMatchObject({ id: 'cut', done: true, error: { type: expect.any(String) } });

    daemon.send({ id: 'after', prompt: 'User: [[reply:fine again]]' });
    expect(await daemon.next()).toEqual({ id: 'after', content: 'fine again' });
    await finish(daemon);
  });

  it('answers pings with pongs at once', async () => {
    const daemon = spawnDaemon(fixture);
    daemon.send({ ping: true });
    expect(await daemon.next()).toEqual({ pong: true });
    daemon.send({ id: 'slow', prompt: 'User: [[ttfb:1500]] [[reply:late]]' });
    daemon.send({ ping: true, id: 9 });
    // Answered while the slow request still waits for Kiro.
    expect(await daemon.next()).toEqual({ id: 9, pong: true });
    expect(await daemon.next()).toEqual({ id: 'slow', content: 'late' });
    await finish(daemon);
  });

  it('takes Anthropic-shaped messages, a system prompt and a model instead of a flat prompt', async () => {
    const daemon = spawnDaemon(fixture, ['--model', 'claude-opus-4-5']);
    daemon.send({
      id: 1,
      model: 'claude-haiku-4-5',
      system: 'Answer in one word.',
      max_tokens: 64,
      messages: [{ role: 'user', content: [{ type: 'text', text: '[[reply:from messages]]' }] }],
    });
    expect(await daemon.next()).toEqual({ id: 1, content: 'from messages' });
    expect(lastKiroBody().conversationState.currentMessage.userInputMessage.modelId).toBe('claude-haiku-4.5');
    expect(JSON.stringify(lastKiroBody())).toContain('Answer in one word.');
    daemon.send({ id: 2, prompt: 'User: [[reply:default model]]' });
    expect(await daemon.next()).toEqual({ id: 2, content: 'default model' });
    expect(lastKiroBody().conversationState.currentMessage.userInputMessage.modelId).toBe('claude-opus-4.5');
    await finish(daemon);
  });

  it('finishes the answer in flight when stdin ends, then exits 0', async () => {
    const daemon = spawnDaemon(fixture);
    daemon.send({
      prompt: 'User: [[chunks:6]] [[delay:60]] [[reply:every word still arrives]]',
      stream: true,
    });
    const exit = daemon.finish();
    const lines = await daemon.until((line) => line['done'] === true);
    expect(lines.map((line) => line['content']).join('')).toBe('every word still arrives');
    expect(await exit).toBe(0);
    expect(nonJsonStdout(daemon.rawStdout())).toEqual([]);
  });

  it('with --port, shows its requests in the requests log and the metrics (source: daemon)', async () => {
    const adminToken = 'kda-daemon-test-token';
    const daemon = spawnDaemon(fixture, ['--port', '0'], { KIRO_DOCK_ADMIN_TOKEN: adminToken });
    daemon.send({ id: 'm', prompt: 'User: [[reply:counted]]' });
    expect(await daemon.next()).toEqual({ id: 'm', content: 'counted' });
    const url = /dashboard at (http:\/\/127\.0\.0\.1:\d+)\//.exec(daemon.stderr())?.[1];
    expect(url, daemon.stderr()).toBeDefined();
    const auth = { authorization: `Bearer ${adminToken}` };
    const log = (await (await fetch(`${url}/admin/requests`, { headers: auth })).json()) as {
      requests: Array<Record<string, unknown>>;
    };
    expect(log.requests[0]).toMatchObject({ route: 'daemon', source: 'daemon', status: 200, stream: false });
    const metrics = await (await fetch(`${url}/metrics`, { headers: auth })).text();
    expect(metrics).toMatch(/requests_total\{[^}]*route="daemon"[^}]*status="200"[^}]*\} 1/);
    await finish(daemon);
  });

  it('refuses bad flags with a message naming them', async () => {
    const daemon = spawnDaemon(fixture, ['--secret-store', 'plaintext']);
    expect(await daemon.exit).toBe(2);
    expect(daemon.stderr()).toMatch(/--secret-store must be one of auto, keychain, file, memory/);
    expect(daemon.rawStdout()).toBe('');
  });
});

describe('kiro-dock chat', () => {
  it('prints the answer to a prompt on stdin and exits 0', async () => {
    const result = await runChat(fixture, 'User: [[chunks:3]] [[reply:a one-shot answer]]\n\nAssistant: ');
    expect(result).toMatchObject({ code: 0, stdout: 'a one-shot answer' });
  });

  it('exits non-zero with the reason on stderr when the answer fails or there is no prompt', async () => {
    const failed = await runChat(fixture, 'User: [[fault:400-too-long]]');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/kiro-dock chat: prompt is too long.*\[invalid_request_error\]/);
    const empty = await runChat(fixture, '  \n');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/kiro-dock chat: no prompt on stdin; pipe one in/);
  });
});
